// `vigil demo`: writes the demo cluster, starts its three agents, waits until the cluster is up,
// tells the operator what to try, then shows live events until interrupted, and cleans up.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { answers } from '../control/server.js';
import { demoDir } from '../control/paths.js';
import {
  DemoConfigError,
  writeDemoCluster,
  type DemoCluster,
  type DemoClusterOptions,
} from './cluster-config.js';
import { startAgent, type AgentHandle, type AgentSpec, type StartAgentOptions } from './agent-process.js';
import { demoLayout, type DemoLayout } from './layout.js';
import { AGENT_MARKER, SERVICE_MARKER } from './markers.js';
import { alive, readPidFile, runs, stopByPidFiles, terminate, writePidFile } from './pid-files.js';
import { waitUntilReady } from './ready.js';
import { repoRoot } from './repo.js';
import { ClusterWatcher } from './watch.js';

export interface DemoOutput {
  out(text: string): void;
  err(text: string): void;
}

export interface DemoOptions {
  output: DemoOutput;
  /** Default: demoDir(). */
  dir?: string;
  /** No live event lines (and, later, no console). */
  headless?: boolean;
  /** The demo stops when this aborts, as on SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Stop on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
  /** How long the cluster may take to come up (default 20 s). */
  readyTimeoutMs?: number;
  /** How long an agent may take to stop before it is killed (default 5 s). */
  stopDeadlineMs?: number;
  cluster?: DemoClusterOptions;
  agent?: StartAgentOptions;
  /** Instead of event lines (unless headless): opens the console on the demo's servers; the demo stops when it closes. */
  console?: (servers: { name: string; socket: string }[]) => Promise<void>;
}

const GROUPS = ['web', 'batch'];

export async function runDemo(options: DemoOptions): Promise<number> {
  let consoleOpen = false;
  const output: DemoOutput = {
    out: (text) => (consoleOpen ? undefined : options.output.out(text)),
    err: (text) => (consoleOpen ? undefined : options.output.err(text)),
  };
  const layout = demoLayout(options.dir ?? demoDir());
  const running = await answeringServer(layout);
  if (running) {
    output.err(
      `the demo is already running: the agent of ${running.name} answers on ${running.socket}\nStop it with Ctrl-C where it runs, or with: vigil demo --stop`,
    );
    return 1;
  }
  let cluster: DemoCluster;
  try {
    cluster = await writeDemoCluster(layout.dir, options.cluster);
  } catch (error) {
    if (error instanceof DemoConfigError) {
      output.err(error.message);
      return 1;
    }
    throw error;
  }
  await stopByPidFiles(cluster.runDir, SERVICE_MARKER, 2000); // left by a demo that was killed
  await writePidFile(cluster.runnerPidFile, process.pid);

  const stop = new AbortController();
  const stopOnSignal = () => stop.abort(new Error('interrupted'));
  const signals: NodeJS.Signals[] = options.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, stopOnSignal);
  options.signal?.addEventListener('abort', stopOnSignal, { once: true });

  const specs = cluster.servers.map((server) => agentSpec(cluster, server.name));
  const agents = specs.map((spec) => startAgent(spec, options.agent));
  output.out(
    `starting the demo cluster in ${cluster.dir}: ${agents.map((agent) => `${agent.name} (pid ${agent.pid})`).join(', ')}`,
  );
  let up = false;
  for (const agent of agents) {
    void agent.exited.then((exit) => {
      if (stop.signal.aborted || !up) return;
      const how = exit.error ?? (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`);
      output.out(
        `${now()}  the agent of ${agent.name} (pid ${agent.pid}) exited (${how}); start it again with: vigil demo --restart ${agent.name}`,
      );
    });
  }

  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const signal of signals) process.off(signal, stopOnSignal);
      await watcher.stop();
      await shutDown(
        cluster,
        agents,
        options.agent?.vigildPath ?? AGENT_MARKER,
        options.stopDeadlineMs ?? 5000,
        output,
      );
    })());
  const watcher = new ClusterWatcher(
    cluster.servers.map(({ name, socket }) => ({ name, socket })),
    (line) => output.out(`${now()}  ${line}`),
  );
  try {
    const ready = await startUp(cluster, agents, stop.signal, options.readyTimeoutMs ?? 20_000);
    up = true;
    output.out(instructions(cluster, agents, ready.groups));
    if (!options.headless && options.console) {
      consoleOpen = true;
      options
        .console(cluster.servers.map(({ name, socket }) => ({ name, socket })))
        .catch((error: Error) => options.output.err(`the console failed: ${error.message}`))
        .finally(() => {
          consoleOpen = false;
          stop.abort(new Error('console closed'));
        });
    } else if (!options.headless) watcher.start();
    await new Promise<void>((resolve) => {
      if (stop.signal.aborted) resolve();
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return 0;
  } catch (error) {
    if (stop.signal.aborted) return 0;
    output.err(`the demo cluster did not come up: ${(error as Error).message}`);
    // Show the output of the agents that died; if none did, of all of them.
    const died = agents.filter((agent) => agent.exit !== null).map((agent) => agent.name);
    await stopAll();
    for (const server of cluster.servers)
      if (died.length === 0 || died.includes(server.name))
        output.err(await lastLines(server.outputFile, server.name));
    return 1;
  } finally {
    await stopAll();
  }
}

/** Waits until the cluster is ready; fails at once if an agent exits meanwhile. */
async function startUp(cluster: DemoCluster, agents: AgentHandle[], stop: AbortSignal, deadlineMs: number) {
  const startup = new AbortController();
  stop.addEventListener('abort', () => startup.abort(stop.reason), { once: true });
  const died = Promise.race(
    agents.map((agent) =>
      agent.exited.then((exit) => {
        throw new Error(
          `the agent of ${agent.name} exited during startup (${exit.error ?? (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`)})`,
        );
      }),
    ),
  );
  died.catch(() => startup.abort());
  const first = cluster.servers[0];
  if (!first) throw new Error('the demo has no servers');
  return Promise.race([
    waitUntilReady({
      socket: first.socket,
      servers: cluster.servers.map((server) => server.name),
      groups: GROUPS,
      deadlineMs,
      signal: startup.signal,
    }),
    died,
  ]);
}

function agentSpec(cluster: DemoCluster, name: string): AgentSpec {
  const server = cluster.servers.find((candidate) => candidate.name === name);
  if (!server) throw new Error(`no demo server ${name}`);
  return {
    name,
    configFile: cluster.configFile,
    stateDir: server.stateDir,
    socket: server.socket,
    logFile: server.logFile,
    outputFile: server.outputFile,
    pidFile: server.pidFile,
  };
}

function instructions(
  cluster: DemoCluster,
  agents: AgentHandle[],
  groups: { name: string; server: string | null }[],
): string {
  const on = (name: string) => groups.find((group) => group.name === name)?.server ?? '?';
  const web = on('web');
  const webAgent = agents.find((agent) => agent.name === web);
  const vigil = join(repoRoot(), 'bin', 'vigil');
  return [
    '',
    `the demo cluster is up: ${agents.map((agent) => `${agent.name} (agent pid ${agent.pid})`).join(', ')}`,
    `  group web runs on ${web}: ${cluster.webUrl}`,
    `  group batch runs on ${on('batch')}: it counts in ${cluster.batchCounterFile}`,
    '',
    'try, in another terminal:',
    '  npx vigil status --demo        (npx: from this checkout; or put bin/ on your PATH)',
    `  curl ${cluster.webUrl}`,
    '  vigil group move web --to s2 --wait --demo',
    `  vigil demo --crash ${web}           # ${web} crashes (agent and services killed): web fails over`,
    `  vigil demo --restart ${web}         # ${web} comes back`,
    ...(webAgent
      ? [
          `  kill -9 ${webAgent.pid}              # only the agent of ${web} dies: its web-service dies with it`,
          '                               # (the dead-man reaper), and web fails over',
        ]
      : []),
    '  vigil monitor suspend web-pid --demo',
    '  vigil alerts --demo',
    '  vigil logs tail --follow --demo',
    '',
    `(vigil is ${vigil}; config ${cluster.configFile}; agent logs ${join(cluster.dir, 's*', 'vigild.log')})`,
    'Ctrl-C stops the demo.',
    '',
  ].join('\n');
}

/** Stops the agents, then whatever demo service they left behind, and removes the sockets. */
async function shutDown(
  cluster: DemoCluster,
  agents: AgentHandle[],
  agentMarker: string,
  deadlineMs: number,
  output: DemoOutput,
) {
  output.out('stopping the demo cluster');
  await Promise.all(agents.map((agent) => agent.stop(deadlineMs)));
  // Agents brought back by `vigil demo --restart` are not ours to wait for; their pid files find them.
  for (const server of cluster.servers) await stopByPidFiles(server.dir, agentMarker, deadlineMs);
  const leftovers = await stopByPidFiles(cluster.runDir, SERVICE_MARKER, 2000);
  if (leftovers.length > 0)
    output.out(`stopped demo services the agents had left running: pid ${leftovers.join(', ')}`);
  await removeRuntimeFiles(cluster);
  output.out('demo stopped');
}

async function removeRuntimeFiles(layout: DemoLayout): Promise<void> {
  for (const server of layout.servers) {
    await rm(server.socket, { force: true });
    await rm(server.pidFile, { force: true });
  }
  await rm(layout.runnerPidFile, { force: true });
}

/** `vigil demo --stop`: stops a demo that runs elsewhere (or what is left of one). */
export async function stopDemo(
  output: DemoOutput,
  dir = demoDir(),
  agentMarker = AGENT_MARKER,
): Promise<number> {
  const layout = demoLayout(dir);
  const stopped: string[] = [];
  const runner = await readPidFile(layout.runnerPidFile);
  if (runner !== undefined && runner !== process.pid && alive(runner) && (await runs(runner, 'demo'))) {
    // The runner stops its agents in order on SIGTERM.
    await terminate(runner, 15_000);
    stopped.push(`the demo (pid ${runner})`);
  }
  for (const server of layout.servers) {
    const pids = await stopByPidFiles(server.dir, agentMarker, 5000);
    if (pids.length > 0) stopped.push(`the agent of ${server.name} (pid ${pids.join(', ')})`);
  }
  const services = await stopByPidFiles(layout.runDir, SERVICE_MARKER, 2000);
  if (services.length > 0) stopped.push(`demo services (pid ${services.join(', ')})`);
  await removeRuntimeFiles(layout);
  output.out(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : `the demo was not running (${dir})`);
  return 0;
}

async function answeringServer(layout: DemoLayout) {
  for (const server of layout.servers) if (await answers(server.socket)) return server;
  return undefined;
}

async function lastLines(file: string, name: string, count = 10): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-count);
    return lines.length > 0 && lines[0] !== ''
      ? `last output of the agent of ${name} (${file}):\n${lines.map((line) => `  ${line}`).join('\n')}`
      : `the agent of ${name} printed nothing (${file})`;
  } catch {
    return `no output of the agent of ${name} (${file})`;
  }
}

function now(): string {
  return new Date().toTimeString().slice(0, 8);
}
