// A vigil cluster in the lab: one vigild per server namespace (started with `ip netns exec`), a
// cluster config written by the test, the demo's web service on a floating IP, and helpers to read
// status and to break things. The floating IP is a `fip` resource on each namespace's eth0.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connectUnix, type StatusSnapshot } from '../../src/control/index.js';
import { agentArgs, type AgentExit } from '../../src/demo/agent-process.js';
import { commandWord } from '../../src/demo/cluster-config.js';
import { repoRoot } from '../../src/demo/repo.js';
import { RUN_DIR_ENV } from '../../src/demo/service-lifecycle.js';
import { WEB_LISTEN_ENV } from '../../src/demo/web-listen.js';
import { waitFor } from '../process/cluster/harness.js';
import { LAB_PREFIX_LENGTH, LAB_SUBNET, LabNetwork, run } from './netns.js';

export { waitFor };

/** Labs not destroyed yet: a SIGINT or SIGTERM (Ctrl-C on a bench, a killed test) destroys them first. */
const liveLabs = new Set<LabCluster>();
let signalsHooked = false;

function destroyOnSignal(lab: LabCluster): void {
  liveLabs.add(lab);
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...liveLabs].map((live) => live.destroy())).then(() => process.exit(code));
    });
  }
}

export const FLOATING_IP = `${LAB_SUBNET}.100`;
export const WEB_PORT = 8080;
export const HEARTBEAT_PORT = 29100;
export const PEER_PORT = 29101;
/** Last address bytes: servers .1-.9, the client .50, a witness .60. */
const SERVER_BYTE = (index: number) => index + 1;
export const CLIENT = 'cl';
export const WITNESS = 'wt';

export interface LabClusterOptions {
  servers: string[];
  /** Extra per-server config (com, disk), merged into the server's entry; given the lab's directory. */
  serverExtra?: (dir: string) => Record<string, Record<string, unknown>>;
  partition?: Record<string, unknown>;
  /** Also create a namespace for a witness. */
  witness?: boolean;
  /** cluster.timing; default the demo's fast timing (200ms interval, 1s timeout). `{}`: vigil's defaults. */
  timing?: Record<string, string>;
  /** Extra parameters of the floating-IP resource (duplicateCheck …). */
  fipParams?: Record<string, unknown>;
}

interface Agent {
  child: ChildProcess;
  exited: Promise<AgentExit>;
}

export class LabCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-lab-'));
  readonly keyFile = join(this.dir, 'cluster.key');
  readonly configFile = join(this.dir, 'cluster.yaml');
  readonly runDir = join(this.dir, 'run');
  readonly agents = new Map<string, Agent>();
  readonly net: LabNetwork;

  constructor(readonly options: LabClusterOptions) {
    const hosts: Record<string, number> = { [CLIENT]: 50 };
    options.servers.forEach((name, index) => (hosts[name] = SERVER_BYTE(index)));
    if (options.witness) hosts[WITNESS] = 60;
    this.net = new LabNetwork(hosts);
    try {
      mkdirSync(this.runDir);
      writeFileSync(this.keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
      writeFileSync(this.configFile, stringify(this.config()));
    } catch (error) {
      this.net.destroy();
      throw error;
    }
    destroyOnSignal(this);
  }

  get webUrl(): string {
    return `http://${FLOATING_IP}:${WEB_PORT}/`;
  }

  get witnessUrl(): string {
    return `http://${this.net.node(WITNESS).address}:29200/`;
  }

  private config(): Record<string, unknown> {
    const node = commandWord(process.execPath);
    const webService = `exec ${node} ${commandWord(join(repoRoot(), 'dist', 'src', 'demo', 'web-service.js'))}`;
    const cidr = `${FLOATING_IP}/${LAB_PREFIX_LENGTH}`;
    return {
      cluster: {
        name: 'lab',
        keyFile: this.keyFile,
        heartbeatPort: HEARTBEAT_PORT,
        peerPort: PEER_PORT,
        timing: this.options.timing ?? {
          heartbeatInterval: '200ms',
          heartbeatTimeout: '1s',
          npDeadline: '500ms',
          fenceDeadline: '1s',
        },
      },
      servers: this.options.servers.map((name) => ({
        name,
        lan: [this.net.node(name).address],
        ...this.options.serverExtra?.(this.dir)[name],
      })),
      partition: this.options.partition ?? { methods: ['majority'], action: 'stop-service' },
      groups: [
        {
          name: 'web',
          policy: this.options.servers,
          resources: [
            {
              name: 'web-ip',
              type: 'fip',
              address: cidr,
              device: 'eth0',
              startTimeout: '5s',
              stopTimeout: '5s',
              ...this.options.fipParams,
            },
            {
              name: 'web-service',
              type: 'exec',
              start: webService,
              longRunning: true,
              dependsOn: ['web-ip'],
              env: { [RUN_DIR_ENV]: this.runDir, [WEB_LISTEN_ENV]: `${FLOATING_IP}:${WEB_PORT}` },
              startTimeout: '5s',
              stopTimeout: '5s',
            },
          ],
        },
      ],
    };
  }

  serverDir(name: string): string {
    return join(this.dir, name);
  }

  socket(name: string): string {
    return join(this.serverDir(name), 'vigild.sock');
  }

  logFile(name: string): string {
    return join(this.serverDir(name), 'vigild.log');
  }

  /** Starts vigild for `name` inside its namespace (`ip netns exec` execs, so the pid is the agent's). */
  startAgent(name: string): void {
    const dir = this.serverDir(name);
    mkdirSync(join(dir, 'state'), { recursive: true, mode: 0o700 });
    const spec = {
      name,
      configFile: this.configFile,
      stateDir: join(dir, 'state'),
      socket: this.socket(name),
      logFile: this.logFile(name),
    };
    const output = join(dir, 'agent.out');
    const child = spawn(
      'ip',
      ['netns', 'exec', this.net.node(name).ns, process.execPath, ...agentArgs(spec), '--no-ssh'],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    const keep = (chunk: Buffer) => {
      text += chunk.toString();
      writeFileSync(output, text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<AgentExit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.agents.set(name, { child, exited });
  }

  start(): void {
    for (const name of this.options.servers) this.startAgent(name);
  }

  agentPid(name: string): number {
    const pid = this.agents.get(name)?.child.pid;
    if (pid === undefined) throw new Error(`no agent started for ${name}`);
    return pid;
  }

  async status(name: string, timeoutMs = 2000): Promise<StatusSnapshot> {
    const client = await connectUnix(this.socket(name), timeoutMs);
    try {
      return await client.call('status.get', {}, timeoutMs);
    } finally {
      client.close();
    }
  }

  /** The group's state and server as `name` reports them. */
  async group(name: string, group = 'web'): Promise<{ state: string; server: string | null } | undefined> {
    const g = (await this.status(name)).groups.find((x) => x.name === group);
    return g ? { state: g.state, server: g.server ?? null } : undefined;
  }

  async groupOnline(viewer: string, on: string, deadlineMs: number): Promise<void> {
    await waitFor(
      `web online on ${on} as ${viewer} sees it`,
      async () => {
        const g = await this.group(viewer);
        return g?.state === 'online' && g.server === on;
      },
      deadlineMs,
    );
  }

  /** Waits until every server sees every other up and the group online somewhere; returns where. */
  async healthy(deadlineMs: number): Promise<string> {
    return waitFor(
      'a healthy lab cluster (all servers up, web online)',
      async () => {
        let where: string | undefined;
        for (const name of this.options.servers) {
          const status = await this.status(name);
          if (status.servers.some((s) => s.state !== 'up')) return undefined;
          const g = status.groups.find((x) => x.name === 'web');
          if (g?.state !== 'online' || !g.server) return undefined;
          where = g.server;
        }
        return where;
      },
      deadlineMs,
      200,
    );
  }

  /** Whether the floating IP is configured in a server's namespace right now. */
  holdsFloatingIp(name: string): boolean {
    const out = run('ip', ['-n', this.net.node(name).ns, '-o', 'addr', 'show', 'dev', 'eth0']);
    return out.includes(` ${FLOATING_IP}/`);
  }

  /** Pids of the demo web service that run on `name` now (from the service's own pid files). */
  webServicePids(name: string): number[] {
    return readdirSync(this.runDir)
      .map((file) => new RegExp(`^web-service-${name}-(\\d+)\\.pid$`).exec(file)?.[1])
      .filter((pid): pid is string => pid !== undefined)
      .map(Number)
      .filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
  }

  /** How many lines of the agent's log contain `text`. */
  logLinesWith(name: string, text: string): number {
    try {
      return readFileSync(this.logFile(name), 'utf8')
        .split('\n')
        .filter((line) => line.includes(text)).length;
    } catch {
      return 0;
    }
  }

  /** The agent's log records with the given event name. */
  logEvents(name: string, event: string): Record<string, unknown>[] {
    let text: string;
    try {
      text = readFileSync(this.logFile(name), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line.includes(`"event":"${event}"`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** A server crashes: every process in its namespace is SIGKILLed and its cable is pulled. */
  crash(name: string): void {
    this.net.killAll(name);
    // A dead machine does not answer ARP for the address it held; a killed namespace would.
    this.net.setLink(name, false);
  }

  /**
   * Stops everything and removes the network and the files. Never throws. Called again while it
   * runs (a signal during a test's own clean-up), it gives the same promise: both wait for the end.
   */
  destroy(): Promise<void> {
    this.destroyed ??= this.teardown();
    return this.destroyed;
  }

  private destroyed: Promise<void> | undefined;

  private async teardown(): Promise<void> {
    liveLabs.delete(this);
    for (const [name, agent] of this.agents) {
      try {
        process.kill(agent.child.pid ?? -1, 'SIGCONT');
      } catch {
        // Gone.
      }
      agent.child.kill('SIGTERM');
      const late = await Promise.race([
        agent.exited.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 8000)),
      ]);
      if (late) this.net.killAll(name);
    }
    this.net.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
