// Drives the real console app with ink's own render (prepared as the console prepares it: prepareInk
// in src/console/run.tsx) into a fake 200x60 terminal, feeds one change of the simulated cluster
// through the console's store every 100 ms and measures, per update: the time from the store change
// to ink's last write of the frame, the bytes written, and the screen cells that changed (the fake
// terminal applies what it gets to a screen of cells).
import { render } from 'ink';
import { App } from '../../src/console/app.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { INK_OPTIONS, consoleOutput, prepareInk } from '../../src/console/run.js';
import { loadTheme } from '../../src/console/theme.js';
import { machineLine } from '../machine.js';
import { SimulatedCluster } from './cluster.js';
import { FakeKeyboard } from './keyboard.js';
import { FakeTerminal } from './terminal.js';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 300);
const INTERVAL_MS = 100;
const COLUMNS = 200;
const ROWS = 60;
const SIZE = { servers: 64, groups: 64, monitors: 500, consoleNodes: 3 };

interface Sample {
  frameMs: number | undefined;
  bytes: number;
  changed: number;
  /** Runs of changed cells on a row (each needs the cursor moved to it). */
  runs: number;
}

interface Phase {
  name: string;
  /** Keys typed before the phase, and what the screen shows once they are handled. */
  keys: string;
  ready: RegExp;
}

const PHASES: Phase[] = [
  { name: 'tree (servers)', keys: '', ready: /s52 / },
  { name: 'tree filtered: monitors', keys: '/mon\r', ready: /mon-050[\s\S]*filter: mon/ },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(terminal: FakeTerminal, pattern: RegExp, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!pattern.test(terminal.text())) {
    if (Date.now() > end)
      throw new Error(`the console did not show ${what} within 10 s; screen:\n${terminal.text()}`);
    await sleep(10);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function row(name: string, samples: Sample[], cpuMs: number): string[] {
  const frames = samples.flatMap((sample) => (sample.frameMs === undefined ? [] : [sample.frameMs]));
  const bytes = samples.reduce((sum, sample) => sum + sample.bytes, 0);
  const changed = samples.reduce((sum, sample) => sum + sample.changed, 0);
  const runs = samples.reduce((sum, sample) => sum + sample.runs, 0);
  return [
    name,
    String(samples.length),
    String(frames.length),
    Math.min(...frames).toFixed(1),
    percentile(frames, 50).toFixed(1),
    percentile(frames, 95).toFixed(1),
    (cpuMs / samples.length).toFixed(1),
    (bytes / samples.length).toFixed(0),
    (changed / samples.length).toFixed(0),
    (runs / samples.length).toFixed(1),
    changed === 0 ? '-' : (bytes / changed).toFixed(2),
  ];
}

function table(rows: string[][]): string {
  const header = [
    'phase',
    'updates',
    'frames',
    'frame min ms',
    'p50 ms',
    'p95 ms',
    'CPU ms/update',
    'bytes/update',
    'changed cells/update',
    'runs/update',
    'bytes/cell',
  ];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((line) => (line[column] ?? '').length)));
  return all
    .map((line) =>
      line
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number),
        )
        .join('  '),
    )
    .join('\n');
}

export async function runConsoleBench(): Promise<void> {
  const cluster = new SimulatedCluster(SIZE, 42);
  const store = new StaticStore(cluster.nodes());
  const terminal = new FakeTerminal(COLUMNS, ROWS);
  const keyboard = new FakeKeyboard();
  const theme = loadTheme({ env: {} }).theme;
  // BENCH_INK_OUTPUT=1: ink's own Output (every row composed every frame), for comparison.
  if (!process.env.BENCH_INK_OUTPUT) await prepareInk();
  const instance = render(<App store={store} theme={theme} />, {
    ...INK_OPTIONS,
    // BENCH_RAW=1: ink writes straight to the terminal (as before the screen writer), for comparison.
    stdout: process.env.BENCH_RAW
      ? (terminal as unknown as NodeJS.WriteStream)
      : consoleOutput(terminal as unknown as NodeJS.WriteStream),
    stdin: keyboard as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const results: string[][] = [];
  const everything: Sample[] = [];
  let allCpu = 0;
  let tick = 0;
  try {
    for (const phase of PHASES) {
      if (phase.keys) keyboard.type(phase.keys);
      await waitFor(terminal, phase.ready, phase.name);
      await sleep(200); // let the frame of the keys go out before the first measured update
      const samples: Sample[] = [];
      const cpuBefore = process.cpuUsage();
      const emulationBefore = terminal.emulationMs;
      for (let i = 0; i < Math.ceil(UPDATES / PHASES.length); i++) {
        cluster.step(tick++);
        const nodes = cluster.nodes();
        const screen = terminal.snapshot();
        const bytes = terminal.bytes;
        const writes = terminal.writes;
        const start = performance.now();
        store.set(nodes);
        await sleep(Math.max(0, start + INTERVAL_MS - performance.now()));
        const changed = terminal.changedSince(screen);
        samples.push({
          frameMs: terminal.writes > writes ? terminal.lastWriteAt - start : undefined,
          bytes: terminal.bytes - bytes,
          changed: changed.cells,
          runs: changed.runs,
        });
      }
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000 - (terminal.emulationMs - emulationBefore);
      allCpu += cpuMs;
      everything.push(...samples);
      results.push(row(phase.name, samples, cpuMs));
    }
  } finally {
    instance.unmount();
    instance.cleanup();
  }
  results.push(row('all', everything, allCpu));
  console.log(machineLine());
  console.log(
    `console ${COLUMNS}x${ROWS}, ${SIZE.servers} servers, ${SIZE.groups} groups, ${SIZE.monitors} monitors, ` +
      `${SIZE.consoleNodes} console nodes, an update every ${INTERVAL_MS} ms`,
  );
  console.log(table(results));
  const frames = everything.flatMap((sample) => (sample.frameMs === undefined ? [] : [sample.frameMs]));
  const bytes = everything.reduce((sum, sample) => sum + sample.bytes, 0);
  const changed = everything.reduce((sum, sample) => sum + sample.changed, 0);
  const p95 = percentile(frames, 95);
  console.log(
    `targets: p95 frame time < 16 ms: ${p95 < 16 ? 'met' : 'MISSED'} (${p95.toFixed(1)} ms); ` +
      `bytes per update <= 3x changed cells: ${bytes <= 3 * changed ? 'met' : 'MISSED'} (${(bytes / Math.max(1, changed)).toFixed(2)}x)`,
  );
  if (process.env.BENCH_SHOW_SCREEN) console.log(terminal.text());
  if (process.env.BENCH_SHOW_WRITES) console.log(JSON.stringify(terminal.recent));
}
