// A real three-agent cluster on loopback for process tests: the demo's config (web on an exec
// service bound to one loopback address, batch, a pid monitor) with ports of the test's own, real
// vigild processes, and helpers to read status, run the CLI, and kill things.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { connectUnix, type StatusSnapshot } from '../../../src/control/index.js';
import { startAgent, type AgentHandle } from '../../../src/demo/agent-process.js';
import {
  writeDemoCluster,
  type DemoCluster,
  type DemoClusterOptions,
} from '../../../src/demo/cluster-config.js';
import { isProcessRunning, readProcStat } from '../../../src/resources/proc.js';
import { stopByPidFiles } from '../../../src/demo/pid-files.js';
import { repoRoot } from '../../../src/demo/repo.js';

export interface ClusterPorts {
  heartbeatPort: number;
  peerPort: number;
  webPort: number;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  deadlineMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A process's command line, or '' when it is gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

export class TestCluster {
  readonly agents = new Map<string, AgentHandle>();

  private constructor(
    readonly dir: string,
    readonly demo: DemoCluster,
  ) {}

  /**
   * `extraMonitors` are added to the demo config's monitors; `extra` adds top-level config sections
   * (e.g. operators). Both are written as YAML.
   */
  static async start(
    ports: ClusterPorts,
    options: Pick<DemoClusterOptions, 'partition'> & {
      extraMonitors?: Record<string, unknown>[];
      extra?: Record<string, unknown>;
    } = {},
  ): Promise<TestCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-process-'));
    // Each test file's cluster needs its own SSH port too: files run concurrently.
    const sshPort = ports.heartbeatPort + 2;
    const { extraMonitors = [], extra = {}, ...demoOptions } = options;
    const demo = await writeDemoCluster(dir, { ...ports, sshPort, webHost: '127.0.0.100', ...demoOptions });
    if (extraMonitors.length > 0 || Object.keys(extra).length > 0) {
      const config = parse(readFileSync(demo.configFile, 'utf8')) as { monitors: unknown[] };
      config.monitors.push(...extraMonitors);
      writeFileSync(demo.configFile, stringify({ ...config, ...extra }));
    }
    const cluster = new TestCluster(dir, demo);
    for (const server of demo.servers) cluster.startAgent(server.name);
    return cluster;
  }

  get webUrl(): string {
    return this.demo.webUrl;
  }

  server(name: string) {
    const server = this.demo.servers.find((s) => s.name === name);
    if (!server) throw new Error(`no server ${name}`);
    return server;
  }

  startAgent(name: string): AgentHandle {
    const s = this.server(name);
    const handle = startAgent({
      name,
      configFile: this.demo.configFile,
      stateDir: s.stateDir,
      socket: s.socket,
      logFile: s.logFile,
      outputFile: s.outputFile,
    });
    this.agents.set(name, handle);
    return handle;
  }

  /** SIGKILL the agent process only; what it started keeps running. */
  async killAgent(name: string): Promise<void> {
    const agent = this.agents.get(name);
    if (!agent) return;
    agent.child.kill('SIGKILL');
    await agent.exited;
  }

  /**
   * SIGKILL the agent's dead-man reaper, then the agent: its services are left running as orphans,
   * as after the OOM killer took both. The reaper is the agent's child running the guard script.
   */
  async killAgentAndReaper(name: string): Promise<void> {
    const agent = this.agents.get(name);
    if (!agent) return;
    const reapers = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && readProcStat(Number(entry))?.ppid === agent.pid)
      .filter((pid) => commandLine(Number(pid)).includes('guarded='));
    if (reapers.length !== 1) throw new Error(`expected one reaper of ${name}, found ${reapers.length}`);
    process.kill(Number(reapers[0]), 'SIGKILL');
    await waitFor('the reaper to be gone', () => !isProcessRunning(Number(reapers[0])), 3000);
    await this.killAgent(name);
  }

  /** The pid of the long-running process of `group/resource` on `server` (its process group leader). */
  servicePid(server: string, group: string, resource: string): number | null {
    try {
      const record = JSON.parse(
        readFileSync(join(this.server(server).stateDir, 'pids', group, `${resource}.json`), 'utf8'),
      ) as { pid?: number };
      return typeof record.pid === 'number' ? record.pid : null;
    } catch {
      return null;
    }
  }

  async status(server: string, timeoutMs = 2000): Promise<StatusSnapshot> {
    const client = await connectUnix(this.server(server).socket, timeoutMs);
    try {
      return await client.call('status.get', {}, timeoutMs);
    } finally {
      client.close();
    }
  }

  /** Waits until `server` reports the group online on `on`. */
  async groupOnline(server: string, group: string, on: string, deadlineMs: number): Promise<StatusSnapshot> {
    return waitFor(
      `${group} online on ${on} as seen by ${server}`,
      async () => {
        const status = await this.status(server);
        const g = status.groups.find((x) => x.name === group);
        return g?.state === 'online' && g.server === on ? status : undefined;
      },
      deadlineMs,
    );
  }

  async healthy(deadlineMs: number): Promise<void> {
    await waitFor(
      'a healthy cluster',
      async () => {
        for (const s of this.demo.servers) {
          const exit = this.agents.get(s.name)?.exit;
          // An agent that failed on its own (a start-up error, a crash) is worth saying at once.
          if (exit && exit.signal === null && exit.code !== 0)
            throw new Error(`${s.name}'s agent exited with code ${exit.code}: ${this.outputTail(s.name)}`);
          if (!this.agents.get(s.name) || exit) continue;
          const status = await this.status(s.name);
          if (status.servers.some((x) => x.state !== 'up')) return false;
          if (status.groups.some((g) => g.run && g.state !== 'online')) return false;
        }
        return true;
      },
      deadlineMs,
    );
  }

  /** Waits until every running agent's peer channel (TLS) to every other server is connected. */
  async peersConnected(deadlineMs: number): Promise<void> {
    await waitFor(
      'every peer channel connected',
      async () => {
        for (const s of this.demo.servers) {
          if (!this.agents.get(s.name) || this.agents.get(s.name)?.exit) continue;
          const channels = (await this.status(s.name)).peerChannels ?? [];
          if (channels.length < this.demo.servers.length - 1) return false;
          if (channels.some((c) => c.state !== 'connected')) return false;
        }
        return true;
      },
      deadlineMs,
    );
  }

  /** The last lines an agent wrote to stdout and stderr. */
  outputTail(server: string, lines = 5): string {
    try {
      return readFileSync(this.server(server).outputFile, 'utf8')
        .trim()
        .split('\n')
        .slice(-lines)
        .join(' | ');
    } catch {
      return '(no output)';
    }
  }

  /** Runs the vigil CLI against one agent's socket. */
  cli(args: string[], server = 's1', timeoutMs = 15_000): Promise<CliResult> {
    return runCli([...args, '--socket', this.server(server).socket], timeoutMs);
  }

  /** Log records of one agent with the given event name. */
  logEvents(server: string, event: string): { at: string; fields: Record<string, unknown> }[] {
    const text = readFileSync(this.server(server).logFile, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.includes(`"event":"${event}"`))
      .map((line) => JSON.parse(line) as { at: string; fields: Record<string, unknown> });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.stop(8000)));
    await stopByPidFiles(this.demo.runDir, 'dist/src/demo', 3000).catch(() => []);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function runCli(
  args: string[],
  timeoutMs = 15_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'vigil'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls an HTTP URL and records which server answered, for as long as it runs. */
export class HttpWatcher {
  readonly answers: { at: number; server: string | null }[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly url: string,
    everyMs = 25,
  ) {
    this.done = (async () => {
      while (this.running) {
        // Stamped with when the request was sent: an answer to an earlier request says nothing later.
        const at = Date.now();
        this.answers.push({ at, server: await this.poll() });
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
  }

  async poll(): Promise<string | null> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(500) });
      const body = await response.text();
      return response.status === 200 ? (/s\d+/.exec(body)?.[0] ?? body) : null;
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** The servers that answered, in order, with repeats collapsed. */
  sequence(): string[] {
    const out: string[] = [];
    for (const a of this.answers) if (a.server && out.at(-1) !== a.server) out.push(a.server);
    return out;
  }
}
