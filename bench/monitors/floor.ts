// bench:monitors floor — what the work of the monitor benchmark costs in node without any monitor
// code: bare loopback TCP connections (connect, then close), bare HTTP GETs on a raw socket, and
// bare starts of `/bin/sh -c true` as the script spawner makes them (own session, stdout and stderr
// piped), each at the benchmark's rate, spread over each second like its checks. A client process
// does the work and its CPU is measured; the servers run in this process, as in bench:monitors.
// The sum for 400 tcp + 400 http + 200 starts a second is a floor for the agent plus its spawner.
// Env: BENCH_WINDOW_SECONDS (20), BENCH_TCP / BENCH_HTTP / BENCH_CUSTOM (400 / 400 / 200),
// BENCH_BASE_PORT (46300; targets at +10 and +20, as bench:monitors).
import { fork, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../machine.js';
import { cpuSeconds, reapedChildrenCpuSeconds } from '../proc-usage.js';
import { startTargets } from './targets.js';

const windowSeconds = Number(process.env.BENCH_WINDOW_SECONDS ?? 20);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 46300);
const TARGET_HOST = '127.0.0.2';
const rates = {
  tcp: Number(process.env.BENCH_TCP ?? 400),
  http: Number(process.env.BENCH_HTTP ?? 400),
  spawn: Number(process.env.BENCH_CUSTOM ?? 200),
};
type Kind = keyof typeof rates;

/** The client: `rate` operations of `kind` a second, in batches every 10 ms, until killed. */
function client(kind: Kind, rate: number): void {
  let done = 0;
  const one: Record<Kind, () => void> = {
    tcp: () => {
      const socket = connect({ host: TARGET_HOST, port: BASE_PORT + 10 });
      socket.on('error', () => socket.destroy());
      socket.on('connect', () => {
        done++;
        socket.destroy();
      });
    },
    http: () => {
      const socket = connect({ host: TARGET_HOST, port: BASE_PORT + 20 });
      socket.write(`GET /health HTTP/1.1\r\nHost: ${TARGET_HOST}\r\nConnection: close\r\n\r\n`);
      socket.on('error', () => socket.destroy());
      socket.on('data', (data: Buffer) => {
        if (data.includes('\r\n\r\n')) {
          done++;
          socket.destroy();
        }
      });
    },
    spawn: () => {
      const child = spawn('/bin/sh', ['-c', 'true'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', () => {});
      child.stderr?.on('data', () => {});
      child.on('close', () => done++);
    },
  };
  const began = performance.now();
  let issued = 0;
  setInterval(() => {
    const due = Math.floor(((performance.now() - began) / 1000) * rate);
    for (; issued < due; issued++) one[kind]();
  }, 10);
  process.on('message', () => process.send?.(done));
}

async function measure(kind: Kind): Promise<string> {
  const child = fork(fileURLToPath(import.meta.url), ['client', kind, String(rates[kind])]);
  const pid = child.pid ?? 0;
  const count = () =>
    new Promise<number>((resolve) => {
      child.once('message', (n) => resolve(Number(n)));
      child.send('count');
    });
  await new Promise((resolve) => setTimeout(resolve, 2000)); // start-up and warm-up
  const before = { own: cpuSeconds(pid), children: reapedChildrenCpuSeconds(pid), done: await count() };
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
  const own = cpuSeconds(pid) - before.own;
  const children = reapedChildrenCpuSeconds(pid) - before.children;
  const done = (await count()) - before.done;
  const elapsed = (performance.now() - started) / 1000;
  child.kill();
  const percent = (seconds: number) => ((seconds / elapsed) * 100).toFixed(1).padStart(5);
  const perOp = done === 0 ? 'n/a' : `${((own / done) * 1000).toFixed(3)} ms`;
  return `${kind.padEnd(5)}  ${String(Math.round(done / elapsed)).padStart(5)}/s  client ${percent(own)} % of a core  (${perOp} each)  children ${percent(children)} %  load ${loadavg()[0].toFixed(2)}`;
}

if (process.argv[2] === 'client') {
  client(process.argv[3] as Kind, Number(process.argv[4]));
} else {
  console.log(machineLine());
  console.log(
    `floor of the monitor benchmark's work, ${windowSeconds} s windows, load before: ${loadavg()[0].toFixed(2)}`,
  );
  const targets = await startTargets(1, BASE_PORT + 10, BASE_PORT + 20);
  try {
    for (const kind of Object.keys(rates) as Kind[]) if (rates[kind] > 0) console.log(await measure(kind));
  } finally {
    await targets.close();
  }
}
