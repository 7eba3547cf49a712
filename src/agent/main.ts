// vigild: loads the configuration, the cluster key and its identity, assembles the agent and runs it
// until SIGTERM or SIGINT. Every startup problem is one clear line on stderr and exit code 2.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem } from '../config/problem.js';
import { loadConfigIsolated } from './load-config-isolated.js';
import { AuditLog } from '../control/audit.js';
import { ControlServer, defaultSocketPath, defaultStateDir } from '../control/index.js';
import { createLinks } from '../links/registry.js';
import { AgentEndpoint, lanListenAddresses } from '../remote/agent-endpoint.js';
import { monitorsWithoutDriver } from '../monitors/registry.js';
import { DeadmanReaper } from '../resources/deadman-reaper.js';
import { ProcessTable } from '../resources/process-table.js';
import { scriptSpawner } from '../resources/script-spawner.js';
import { resourcesWithoutDriver } from '../resources/registry.js';
import { npMethodsWithoutSupport } from './np-gatherer.js';
import { Agent } from './agent.js';
import { deriveKey, loadClusterKey } from './cluster-key.js';
import { findIdentity } from './identity.js';
import { LogBuffer } from './log-buffer.js';
import { createLogger, type LogLevel } from './logger.js';
import { PeerChannel } from './peer-channel.js';
import { readJson, writeJsonAtomic } from './persistence.js';
import { ResourceRunner } from './resource-runner.js';
import { Watchdog } from './watchdog.js';
import { parseDuration } from '../config/durations.js';

const usage = `usage: vigild --config FILE [--node NAME] [--state-dir DIR] [--socket PATH] [--log FILE]
              [--key FILE] [--log-level debug|info|warn|error] [--no-ssh] [--ssh-listen HOST:PORT]

  --config     the cluster file (identical on every server)
  --node       which server this is (default: the one whose LAN address is on this machine)
  --state-dir  persistent state (default: /var/lib/vigil as root, else ~/.local/state/vigil)
  --socket     control socket (default: /run/vigil/vigild.sock as root, else a per-user path)
  --log        JSON-lines log file (default: STATE_DIR/vigild.log)
  --key        cluster key file (default: cluster.keyFile from the config)
  --no-ssh     do not start the operators' SSH endpoint
  --ssh-listen where the SSH endpoint listens, HOST:PORT[,HOST:PORT] (default: this server's LAN
               addresses on cluster.sshPort)`;

class StartupError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      node: { type: 'string' },
      'state-dir': { type: 'string' },
      socket: { type: 'string' },
      log: { type: 'string' },
      key: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'no-ssh': { type: 'boolean', default: false },
      'ssh-listen': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!values.config) throw new StartupError(`--config is required\n${usage}`);
  const level = values['log-level'] as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new StartupError(`--log-level ${level}: use debug, info, warn or error`);

  const loaded = await loadConfigIsolated(values.config);
  if (!loaded.ok) {
    const lines = loaded.readError ? [loaded.readError] : loaded.problems.map(formatProblem);
    throw new StartupError(`${values.config} is not a valid cluster file:\n${lines.join('\n')}`);
  }
  const { model, config } = loaded;
  const self = findIdentity(model, values.node);
  const missing = [
    ...resourcesWithoutDriver(model.groups),
    ...monitorsWithoutDriver(model.monitors),
    ...npMethodsWithoutSupport(model),
  ];
  if (missing.length > 0)
    throw new StartupError(`this build cannot run the configuration:\n${missing.join('\n')}`);

  const stateDir = values['state-dir'] ?? defaultStateDir();
  mkdirSync(stateDir, { recursive: true, mode: 0o750 });
  const logBuffer = new LogBuffer();
  const logFile = values.log ?? join(stateDir, 'vigild.log');
  const logger = createLogger({
    file: logFile,
    stderrLevel: process.stderr.isTTY ? 'info' : undefined,
    level,
    sink: (record) => logBuffer.add(record),
    base: { server: self },
  });
  for (const warning of loaded.warnings) logger.warn('config-warning', { problem: formatProblem(warning) });
  const key = loadClusterKey(values.key ?? config.cluster.keyFile);

  // The incarnation must grow at every start, even if the clock was set back.
  const agentFile = join(stateDir, 'agent.json');
  const previous = readJson<{ incarnation?: number }>(agentFile, {});
  const incarnation = Math.max((previous.incarnation ?? 0) + 1, Date.now());
  writeJsonAtomic(agentFile, { incarnation });

  const reaper = new DeadmanReaper();
  const processes = new ProcessTable(reaper);
  scriptSpawner.setGuard(reaper);
  scriptSpawner.setLogger(logger);
  const resources = new ResourceRunner(model, self, stateDir, logger, processes);
  const engineState = readJson<{ active?: Record<string, number> } | null>(
    join(stateDir, 'engine.json'),
    null,
  );
  const strays = await resources.stopStrays(new Set(Object.keys(engineState?.active ?? {})));
  if (strays.length > 0) logger.warn('stopped-strays', { resources: strays });

  const { links, warnings } = createLinks(model, self, {
    port: config.cluster.heartbeatPort,
    key: deriveKey(key, model.name, 'heartbeat'),
    logger,
    comBaudRate: config.cluster.comBaudRate,
  });
  for (const warning of warnings) logger.warn('link-warning', { warning });
  for (const link of links) await link.start();
  const peers = new PeerChannel({
    model,
    self,
    port: config.cluster.peerPort,
    key: deriveKey(key, model.name, 'peer-psk'),
    logger,
  });
  await peers.start();

  const watchdogConfig = config.cluster.watchdog;
  const watchdog = new Watchdog({
    ...(watchdogConfig ? { device: watchdogConfig.device } : {}),
    intervalMs:
      (watchdogConfig?.interval && parseDuration(watchdogConfig.interval)) ||
      model.timing.heartbeatIntervalMs,
    logger,
  });
  try {
    watchdog.open();
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const agent = new Agent(
    {
      model,
      self,
      stateDir,
      logger,
      logBuffer,
      logFile,
      config,
      links,
      peers,
      resources,
      processes,
      witnessKey: deriveKey(key, model.name, 'witness'),
      watchdog,
    },
    incarnation,
  );
  agent.start();
  const audit = new AuditLog(join(stateDir, 'audit.log'), logger);
  const record = (entry: Parameters<AuditLog['record']>[0]) => audit.record(entry);
  const control = new ControlServer(agent, { logger, audit: record });
  const socketPath = values.socket ?? defaultSocketPath();
  await control.listenUnix(socketPath);
  logger.info('control-listening', { socket: socketPath });

  let endpoint: AgentEndpoint | null = null;
  if (!values['no-ssh']) {
    const listen = values['ssh-listen']
      ? parseListen(values['ssh-listen'])
      : lanListenAddresses(model, self, config.cluster.sshPort);
    if (listen.length === 0) logger.warn('ssh-not-started', { reason: `server ${self} has no LAN address` });
    else {
      endpoint = new AgentEndpoint({
        backend: agent,
        operators: config.operators,
        stateDir,
        listen,
        logger,
        audit: record,
      });
      try {
        await endpoint.start();
      } catch (error) {
        await agent.stop();
        await control.close();
        scriptSpawner.close();
        reaper.close();
        throw new StartupError((error as Error).message);
      }
    }
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('signal', { signal });
    void agent
      .stop()
      .then(() => endpoint?.close())
      .then(() => control.close())
      .then(() => scriptSpawner.close())
      .then(() => reaper.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** `HOST:PORT[,HOST:PORT]`, IPv6 hosts in brackets. */
function parseListen(text: string): { host: string; port: number }[] {
  return text.split(',').map((item) => {
    const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(item.trim());
    const port = match ? Number(match[2]) : NaN;
    if (!match || !match[1] || port > 65535)
      throw new StartupError(`--ssh-listen ${item}: expected HOST:PORT, e.g. 10.0.0.1:29022`);
    return { host: match[1], port };
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`vigild: ${message}\n`);
  process.exit(2);
});
