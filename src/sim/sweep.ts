// Many schedules: seeds from..from+count-1, the server count cycling through a list (seed i runs with
// servers[i % servers.length]). Runs in this thread, or spread over worker threads (`jobs` > 1) with
// the real engine; either way the results are the same, in seed order.
import { Worker } from 'node:worker_threads';
import type { EngineFactory, UnsafeOptions } from './engine-port.js';
import { runSeed, type RunResult } from './run.js';

export interface SweepOptions {
  from: number;
  count: number;
  servers: number[];
  unsafe?: UnsafeOptions;
  windowMs?: number;
  faults?: number;
  /** Worker threads; 1 (default) runs in this thread. */
  jobs?: number;
  /** Needed when jobs is 1 (workers always use the real engine). */
  factory?: EngineFactory;
  /** Stop after this many violations (default: never). */
  maxViolations?: number;
  /** Called after each schedule (in completion order). */
  progress?: (done: number, result: RunSummary) => void;
}

/** What a sweep keeps of a run: everything for a violation, counters otherwise. */
export interface RunSummary {
  index: number;
  seed: number;
  servers: number;
  steps: number;
  simulatedMs: number;
  violation: RunResult | null;
}

export interface SweepResult {
  schedules: number;
  violations: RunResult[];
  steps: number;
  simulatedMs: number;
  wallMs: number;
}

export interface SweepTask {
  index: number;
  seed: number;
  servers: number;
  unsafe?: UnsafeOptions;
  windowMs?: number;
  faults?: number;
}

export function tasksOf(options: SweepOptions): SweepTask[] {
  const tasks: SweepTask[] = [];
  for (let i = 0; i < options.count; i++) {
    tasks.push({
      index: i,
      seed: options.from + i,
      servers: options.servers[i % options.servers.length]!,
      ...(options.unsafe ? { unsafe: options.unsafe } : {}),
      ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
    });
  }
  return tasks;
}

export function runTask(task: SweepTask, factory: EngineFactory): RunSummary {
  const result = runSeed({
    seed: task.seed,
    servers: task.servers,
    factory,
    ...(task.unsafe ? { unsafe: task.unsafe } : {}),
    ...(task.windowMs !== undefined ? { windowMs: task.windowMs } : {}),
    ...(task.faults !== undefined ? { faults: task.faults } : {}),
  });
  return {
    index: task.index,
    seed: task.seed,
    servers: task.servers,
    steps: result.steps,
    simulatedMs: result.endedAt,
    violation: result.violation ? result : null,
  };
}

export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const tasks = tasksOf(options);
  const summaries: RunSummary[] = [];
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, tasks.length));
  const limit = options.maxViolations ?? Infinity;
  let violations = 0;
  const record = (s: RunSummary) => {
    summaries.push(s);
    if (s.violation) violations++;
    options.progress?.(summaries.length, s);
  };
  if (jobs === 1) {
    if (!options.factory) throw new Error('sweep: a factory is needed to run in this thread');
    for (const task of tasks) {
      record(runTask(task, options.factory));
      if (violations >= limit) break;
    }
  } else {
    await runInWorkers(tasks, jobs, record, () => violations >= limit);
  }
  summaries.sort((a, b) => a.index - b.index);
  return {
    schedules: summaries.length,
    violations: summaries.flatMap((s) => (s.violation ? [s.violation] : [])),
    steps: summaries.reduce((n, s) => n + s.steps, 0),
    simulatedMs: summaries.reduce((n, s) => n + s.simulatedMs, 0),
    wallMs: performance.now() - started,
  };
}

const batchSize = 8;

function runInWorkers(
  tasks: SweepTask[],
  jobs: number,
  record: (s: RunSummary) => void,
  stop: () => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = jobs;
    let failed = false;
    const workers: Worker[] = [];
    const feed = (w: Worker) => {
      if (failed || stop() || next >= tasks.length) {
        void w.terminate();
        if (--running === 0) resolve();
        return;
      }
      const batch = tasks.slice(next, next + batchSize);
      next += batch.length;
      w.postMessage(batch);
    };
    for (let i = 0; i < jobs; i++) {
      const w = new Worker(new URL('./sweep-worker.js', import.meta.url));
      workers.push(w);
      w.on('message', (results: RunSummary[]) => {
        for (const r of results) record(r);
        feed(w);
      });
      w.on('error', (error) => {
        failed = true;
        for (const other of workers) void other.terminate();
        reject(error);
      });
      feed(w);
    }
  });
}
