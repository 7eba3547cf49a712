// bench:heartbeat — idle CPU and memory of vigild agents on loopback at 100 ms heartbeats.
// Starts 3 and then 16 real agents (127.0.0.1 …), waits until they form a cluster, then samples
// each agent's CPU time and RSS over a quiet window. Target: ≤ 1 % of a core and ≤ 60 MB per agent.
// Beside them it measures the floor (heartbeat-floor.ts, one process per server: bare node doing
// the same timers and datagrams between as many processes) and splits RSS into private memory and pages shared with every node process (the
// executable's code), which one agent per server does not multiply.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connectUnix } from '../src/control/index.js';
import { startAgent, type AgentHandle } from '../src/demo/agent-process.js';
import { machineLine } from './machine.js';
import { spawn } from 'node:child_process';
import { cpuSeconds, rssMegabytes, rssSplitMegabytes } from './proc-usage.js';

const windowSeconds = Number(process.env.BENCH_WINDOW_SECONDS ?? 20);
/**
 * Before the window: an agent's idle CPU falls for the first minute or so, as V8 optimises the code
 * that runs every heartbeat (1.9 % of a core 3 s after start, 1.1 % after 80 s, on this machine).
 * Agents run for months, so the steady state is what the bench reports.
 */
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 90);
/** BENCH_CPU_PROF=DIR: every agent writes a CPU profile (node --cpu-prof) there when it stops. */
const profileDir = process.env.BENCH_CPU_PROF;
/** BENCH_SIZES=3,16: the cluster sizes to measure. */
const sizes = (process.env.BENCH_SIZES ?? '3,16').split(',').map(Number);

function writeCluster(dir: string, servers: number, basePort: number): string {
  const keyFile = join(dir, 'cluster.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const config = {
    cluster: {
      name: 'bench',
      keyFile,
      heartbeatPort: basePort,
      peerPort: basePort + 1,
      timing: { heartbeatInterval: '100ms', heartbeatTimeout: '500ms' },
    },
    servers: Array.from({ length: servers }, (_, i) => ({ name: `s${i + 1}`, lan: [`127.0.0.${i + 1}`] })),
    groups: [{ name: 'idle', resources: [{ name: 'noop', type: 'exec', start: 'true' }] }],
  };
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

async function allUp(socket: string, servers: number): Promise<boolean> {
  try {
    const client = await connectUnix(socket, 1000);
    try {
      const status = await client.call('status.get', {});
      return (
        status.servers.filter((s) => s.state === 'up').length === servers &&
        status.groups[0]?.state === 'online'
      );
    } finally {
      client.close();
    }
  } catch {
    return false;
  }
}

/** One cluster size: its agents and, beside them from the same moment, as many floor processes. */
async function measure(servers: number, basePort: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-hb-'));
  const agents: AgentHandle[] = [];
  let measured = false;
  const floorScript = join(import.meta.dirname, 'heartbeat-floor.js');
  const floors = Array.from({ length: servers }, (_, i) =>
    spawn(process.execPath, [floorScript, String(i), String(servers), String(basePort + 50)], {
      stdio: 'ignore',
    }),
  );
  try {
    const configFile = writeCluster(dir, servers, basePort);
    for (let i = 1; i <= servers; i++) {
      agents.push(
        startAgent(
          {
            name: `s${i}`,
            configFile,
            stateDir: join(dir, `s${i}`),
            socket: join(dir, `s${i}.sock`),
            logFile: join(dir, `s${i}.log`),
            outputFile: join(dir, `s${i}.out`),
          },
          profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
        ),
      );
    }
    const deadline = Date.now() + 30_000;
    while (!(await allUp(join(dir, 's1.sock'), servers))) {
      if (Date.now() > deadline)
        throw new Error(`${servers} agents did not form a cluster within 30 s (logs in ${dir})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const agentPids = agents.map((a) => a.pid);
    const floorPids = floors.map((f) => f.pid as number);
    const cpu = await cpuPercentOverWindow([...agentPids, ...floorPids]);
    measured = true;
    return [
      `${String(servers).padStart(2)} agents  ${usageLine(agentPids, cpu.slice(0, servers))}`,
      `${String(servers).padStart(2)} floor   bare node, same timers and datagrams: ${usageLine(floorPids, cpu.slice(servers))}`,
    ];
  } finally {
    for (const floor of floors) floor.kill();
    await Promise.all(agents.map((a) => a.stop(5000)));
    // A failed run keeps its logs for the error message's pointer.
    if (measured) rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU share and RSS per process of one kind: mean and max, RSS split into private and file-backed. */
function usageLine(pids: number[], cpu: number[]): string {
  const rss = pids.map((pid) => rssMegabytes(pid));
  const split = pids.map((pid) => rssSplitMegabytes(pid));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return (
    `CPU per process: mean ${mean(cpu).toFixed(2)} %, max ${Math.max(...cpu).toFixed(2)} % of a core` +
    `   RSS: mean ${mean(rss).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB` +
    ` (private ${mean(split.map((s) => s.anon)).toFixed(1)} MB, file-backed ${mean(split.map((s) => s.file)).toFixed(1)} MB)`
  );
}

/** After the warm-up, each process's CPU share (% of a core) over the window. */
async function cpuPercentOverWindow(pids: number[]): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  const before = pids.map((pid) => cpuSeconds(pid));
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return pids.map((pid, i) => ((cpuSeconds(pid) - (before[i] ?? 0)) / elapsed) * 100);
}

console.log(machineLine());
console.log(
  `heartbeat interval 100 ms, timeout 500 ms, loopback, ${warmupSeconds} s warm-up then a ${windowSeconds} s window per run`,
);
for (const [i, size] of sizes.entries()) console.log((await measure(size, 42100 + 100 * i)).join('\n'));
