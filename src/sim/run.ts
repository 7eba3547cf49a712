// One fault schedule from a seed: generate the model and the schedule, run them in a World, heal,
// wait out the liveness bound, check liveness. The seed and the server count (and the unsafe switch,
// if any) determine everything, so `npm run sim -- --seed S --servers K` replays a run exactly.
import type { ClusterModel } from '../engine/model.js';
import type { EngineFactory, UnsafeOptions } from './engine-port.js';
import { Rng } from './prng.js';
import { generateModel } from './model-gen.js';
import { generateSchedule, type Schedule } from './schedule.js';
import { World, type Violation } from './world.js';
import type { TraceEntry } from './trace.js';

/** Defaults shared by the CLI and the sweep, so a reported command replays the same run. */
export const defaultWindowMs = 20_000;
/** After the heal, the world waits this long before resuming a suspended cluster (intents spread first). */
export const settleMs = 2_000;

export interface RunOptions {
  seed: number;
  servers: number;
  factory: EngineFactory;
  unsafe?: UnsafeOptions;
  windowMs?: number;
  /** Fault events to draw (default: see generateSchedule). */
  faults?: number;
  traceCapacity?: number;
  /** Called for every trace entry as it happens. */
  live?: (entry: TraceEntry) => void;
  traceHeartbeats?: boolean;
}

export interface RunResult {
  seed: number;
  servers: number;
  unsafe: UnsafeOptions | undefined;
  windowMs: number;
  faults: number | undefined;
  model: ClusterModel;
  schedule: Schedule;
  violation: Violation | null;
  /** Simulated time at the end of the run. */
  endedAt: number;
  boundMs: number;
  steps: number;
  messages: number;
  /** The last trace entries (oldest first). */
  trace: TraceEntry[];
}

export function runSeed(options: RunOptions): RunResult {
  const windowMs = options.windowMs ?? defaultWindowMs;
  const model = generateModel(Rng.stream(options.seed, `model/${options.servers}`), options.servers);
  const schedule = generateSchedule(Rng.stream(options.seed, `schedule/${options.servers}`), model, {
    windowMs,
    ...(options.faults !== undefined ? { faultCount: options.faults } : {}),
  });
  const world = new World(model, {
    seed: options.seed,
    factory: options.factory,
    ...(options.unsafe ? { unsafe: options.unsafe } : {}),
    traceCapacity: options.traceCapacity ?? 300,
    ...(options.traceHeartbeats ? { traceHeartbeats: true } : {}),
  });
  if (options.live) world.trace.live = options.live;
  world.setStartFailures(schedule.events.some((e) => e.kind === 'resource' && e.fault.action === 'start'));
  world.trace.add(0, 'sim', 'model', describeModel(model));
  world.start();
  for (const event of schedule.events) world.queue.at(event.at, () => world.apply(event));
  world.queue.at(windowMs, () => world.heal());
  const deadline = runToHealthy(world, windowMs);
  return {
    seed: options.seed,
    servers: options.servers,
    unsafe: options.unsafe,
    windowMs,
    faults: options.faults,
    model,
    schedule,
    violation: world.violation,
    endedAt: world.now,
    boundMs: deadline - windowMs,
    steps: world.steps,
    messages: world.network.stats.sent,
    trace: world.trace.last(),
  };
}

/**
 * Runs to the heal at `healAt`, resumes a suspended cluster `settleMs` later, then runs for the
 * liveness bound and checks liveness. Returns the time of the check.
 */
export function runToHealthy(world: World, healAt: number): number {
  world.runUntil(healAt);
  if (world.violation) return healAt + settleMs + world.bound.totalMs;
  world.runUntil(healAt + settleMs);
  const suspendedAt = world.upServers().find((s) => world.view(s)?.service === 'suspended');
  if (suspendedAt) world.operator({ op: 'cluster-resume' }, suspendedAt);
  const deadline = healAt + settleMs + world.bound.totalMs;
  if (world.runUntil(deadline)) world.checkLiveness();
  return deadline;
}

export function describeModel(model: ClusterModel): string {
  const servers = model.servers.map((s) => `${s.name}[${s.links.map((l) => l.id).join(',')}]`).join(' ');
  const groups = model.groups
    .map(
      (g) =>
        `${g.name}(policy ${g.policy.join('>')}, ${g.startup}/${g.failback}, ${g.resources
          .map((r) => `${r.name}${r.dependsOn.length ? `<-${r.dependsOn.join('+')}` : ''}`)
          .join(' ')})`,
    )
    .join(' ');
  const monitors = model.monitors
    .map(
      (m) =>
        `${m.name}(${m.target?.group}/${m.target?.resource ?? '*'} retries ${m.retries} reactivate ${m.recovery.reactivate} failover ${m.recovery.failover} final ${m.recovery.final})`,
    )
    .join(' ');
  return `servers ${servers}; fence ${model.partition.action}; groups ${groups}${monitors ? `; monitors ${monitors}` : ''}`;
}
