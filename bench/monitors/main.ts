// bench:monitors — one real vigild running 1,000 monitors (tcp, http and custom) at 1 s intervals
// against loopback servers. Measures over a window: the agent's CPU share of one core, its RSS, and
// how late scheduled checks started (p50/p99/max, from the control method monitors.lateness).
// Target: under 10 % of one core and p99 lateness under 50 ms for the mixed run.
// Env: BENCH_WINDOW_SECONDS (30), BENCH_TCP / BENCH_HTTP / BENCH_CUSTOM (400 / 400 / 200),
// BENCH_PER_TYPE=1 also runs each type alone, to see what each costs; BENCH_CPU_PROF=DIR profiles the agent;
// BENCH_BASE_PORT (46300) moves the ports, for two benches on one machine.
// Besides the agent's own CPU it shows that of its helper processes (the dead-man reaper and the
// script spawner) and of the check scripts they or the agent started (reaped children).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectUnix } from '../../src/control/index.js';
import type { LatenessSummary, StatusSnapshot } from '../../src/control/protocol.js';
import { startAgent, type AgentHandle } from '../../src/demo/agent-process.js';
import { machineLine } from '../machine.js';
import { childPids, cpuSeconds, reapedChildrenCpuSeconds, rssMegabytes } from '../proc-usage.js';
import { totalMonitors, writeBenchConfig, type MonitorMix } from './config.js';
import { startTargets, type Targets } from './targets.js';

const windowSeconds = Number(process.env.BENCH_WINDOW_SECONDS ?? 30);
const mixed: MonitorMix = {
  tcp: Number(process.env.BENCH_TCP ?? 400),
  http: Number(process.env.BENCH_HTTP ?? 400),
  custom: Number(process.env.BENCH_CUSTOM ?? 200),
};
const perType = process.env.BENCH_PER_TYPE === '1';
/** BENCH_CPU_PROF=DIR: the agent writes a CPU profile (node --cpu-prof) there when it stops. */
const profileDir = process.env.BENCH_CPU_PROF;
/** Ports 46300 … 46999 belong to this bench: agent 46300/46301, targets 46310 and 46320. */
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 46300);
const AGENT_PORT = BASE_PORT;
const TCP_PORT = BASE_PORT + 10;
const HTTP_PORT = BASE_PORT + 20;
const TARGET_HOSTS = 4;
const READY_MS = 60_000;
const SETTLE_MS = 3000;

interface Row {
  label: string;
  monitors: number;
  cpuPercent: number;
  /** The helper processes' own CPU (reaper, spawner), and that of the scripts they and the agent ran. */
  helpersPercent: number;
  scriptsPercent: number;
  rssMb: number;
  lateness: LatenessSummary;
  failing: number;
  load: number;
}

async function call<T>(socket: string, use: (client: Awaited<ReturnType<typeof connectUnix>>) => Promise<T>) {
  const client = await connectUnix(socket, 5000);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Monitors without a result yet, or in error. */
function notOk(status: StatusSnapshot): { waiting: number; failing: number } {
  return {
    waiting: status.monitors.filter((m) => m.last === null).length,
    failing: status.monitors.filter((m) => m.last !== null && !m.last.ok).length,
  };
}

async function waitReady(socket: string, agent: AgentHandle, dir: string): Promise<void> {
  const deadline = Date.now() + READY_MS;
  let last = 'no answer from the agent';
  while (Date.now() < deadline) {
    if (agent.exit)
      throw new Error(
        `vigild exited (${JSON.stringify(agent.exit)}):\n${readFileSync(join(dir, 's1.out'), 'utf8').slice(-2000)}`,
      );
    try {
      const status = await call(socket, (client) => client.call('status.get', {}, 10_000));
      const { waiting } = notOk(status);
      if (status.monitors.length > 0 && waiting === 0) return;
      last = `${waiting} of ${status.monitors.length} monitors without a result`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the monitors did not all report within ${READY_MS / 1000} s (${last}); logs in ${dir}`);
}

async function measure(label: string, mix: MonitorMix, targets: Targets): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-mon-'));
  const socket = join(dir, 's1.sock');
  let agent: AgentHandle | undefined;
  let done = false;
  try {
    const configFile = writeBenchConfig(dir, mix, targets, AGENT_PORT);
    agent = startAgent(
      {
        name: 's1',
        configFile,
        stateDir: join(dir, 's1'),
        socket,
        logFile: join(dir, 's1.log'),
        outputFile: join(dir, 's1.out'),
      },
      {
        // No SSH endpoint: it does not take part, and its fixed port could be held by another agent.
        extraArgs: ['--no-ssh'],
        ...(profileDir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }),
      },
    );
    await waitReady(socket, agent, dir);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS)); // let start-up work settle
    const pid = agent.pid;
    await call(socket, (client) => client.call('monitors.lateness', { reset: true }));
    const before = cpuSeconds(pid);
    const helpersBefore = helperUsage(pid);
    const started = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const cpu = cpuSeconds(pid) - before;
    const helpersAfter = helperUsage(pid);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const rssMb = rssMegabytes(pid);
    const load = loadavg()[0];
    const lateness = await call(socket, (client) => client.call('monitors.lateness', {}));
    // An overloaded agent may answer late; the failing count is then unknown rather than fatal.
    const status = await call(socket, (client) => client.call('status.get', {}, 30_000)).catch(() => null);
    done = true;
    return {
      label,
      monitors: totalMonitors(mix),
      cpuPercent: (cpu / elapsed) * 100,
      helpersPercent: ((helpersAfter.own - helpersBefore.own) / elapsed) * 100,
      scriptsPercent: ((helpersAfter.scripts - helpersBefore.scripts) / elapsed) * 100,
      rssMb,
      lateness,
      failing: status === null ? NaN : notOk(status).failing,
      load,
    };
  } finally {
    await agent?.stop(10_000);
    if (done)
      rmSync(dir, { recursive: true, force: true }); // else kept for its logs
    else console.error(`logs and config kept in ${dir}`);
  }
}

/**
 * CPU seconds of the agent's helper processes so far, and of the children they and the agent have
 * reaped (the check scripts). A helper that ended during the window is not counted.
 */
function helperUsage(agentPid: number): { own: number; scripts: number } {
  let own = 0;
  let scripts = reapedChildrenCpuSeconds(agentPid);
  for (const helper of childPids(agentPid)) {
    try {
      own += cpuSeconds(helper);
      scripts += reapedChildrenCpuSeconds(helper);
    } catch {
      // exited meanwhile
    }
  }
  return { own, scripts };
}

function table(rows: Row[]): string {
  const header = [
    'run',
    'monitors',
    'CPU % core',
    'helpers %',
    'scripts %',
    'RSS MB',
    'checks',
    'p50 ms',
    'p99 ms',
    'max ms',
    'deferred',
    'failing',
    'load 1m',
  ];
  const lines = rows.map((r) => [
    r.label,
    String(r.monitors),
    r.cpuPercent.toFixed(1),
    r.helpersPercent.toFixed(1),
    r.scriptsPercent.toFixed(1),
    r.rssMb.toFixed(0),
    String(r.lateness.checks),
    r.lateness.p50Ms.toFixed(1),
    r.lateness.p99Ms.toFixed(1),
    r.lateness.maxMs.toFixed(1),
    String(r.lateness.deferred),
    Number.isNaN(r.failing) ? '?' : String(r.failing),
    r.load.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

console.log(machineLine());
console.log(
  `monitors at 1 s intervals, timeout 800 ms, ${windowSeconds} s window per run; load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const targets = await startTargets(TARGET_HOSTS, TCP_PORT, HTTP_PORT);
const rows: Row[] = [];
try {
  const name = `mixed ${mixed.tcp}/${mixed.http}/${mixed.custom}`;
  rows.push(await measure(name, mixed, targets));
  if (perType) {
    rows.push(await measure(`tcp only`, { tcp: mixed.tcp, http: 0, custom: 0 }, targets));
    rows.push(await measure(`http only`, { tcp: 0, http: mixed.http, custom: 0 }, targets));
    rows.push(await measure(`custom only`, { tcp: 0, http: 0, custom: mixed.custom }, targets));
  }
} finally {
  await targets.close();
}
console.log(table(rows));
const main = rows[0];
const cpuOk = main.cpuPercent < 10;
const lateOk = main.lateness.p99Ms < 50;
console.log(
  `target (mixed run): CPU < 10 % of a core: ${cpuOk ? 'met' : 'MISSED'}; p99 lateness < 50 ms: ${lateOk ? 'met' : 'MISSED'}`,
);
