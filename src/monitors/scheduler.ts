// Runs the monitors the engine says should be active on this server and passes each result on.
import type { Logger } from '../agent/logger.js';
import type { MonitorModel } from '../engine/model.js';
import type { ProcessTable } from '../resources/process-table.js';
import type { MonitorDriver, MonitorPeers } from './driver.js';
import { LatenessRecorder, type LatenessSummary } from './lateness.js';
import { MonitorRunner, type MonitorResultHandler } from './monitor-runner.js';
import { createMonitorDriver } from './registry.js';

export type { MonitorResultHandler } from './monitor-runner.js';
export type { LatenessSummary } from './lateness.js';

export interface MonitorSchedulerOptions {
  monitors: MonitorModel[];
  processes: ProcessTable;
  logger: Logger;
  /** Each finished check (a timed-out check is a failure "timed out after N ms"). */
  onResult: MonitorResultHandler;
  /** Where drivers come from; the registry unless a test says otherwise. */
  createDriver?: (monitor: MonitorModel) => MonitorDriver;
  /** What multi and message monitors read of the agent (other monitors' states, reports). */
  peers?: MonitorPeers;
}

/**
 * More monitors than this becoming active at once (agent start, a group coming online) have their
 * first checks spread over the shortest of their intervals: all at the same instant, their checks
 * would stay in step forever, each burst delaying the last checks in it and loading the targets.
 */
const SPREAD_ABOVE = 20;

/**
 * The spread puts first checks on a grid of this step, a few monitors on each point: checks due at
 * the same moment start in one wake-up of the agent, and their results come back close together,
 * where one wake-up per check (1,000 a second) costs more than the checks' own work.
 */
const SPREAD_STEP_MS = 10;

/** How long close() waits for checks to give up after being aborted. */
const CLOSE_WAIT_MS = 2000;

export class MonitorScheduler {
  private readonly runners = new Map<string, MonitorRunner>();
  private readonly recorder = new LatenessRecorder();
  private readonly logger: Logger;
  private closed = false;

  /** Throws NoDriverError when a monitor's type has no driver. */
  constructor(options: MonitorSchedulerOptions) {
    const createDriver = options.createDriver ?? createMonitorDriver;
    this.logger = options.logger;
    const environment = {
      processes: options.processes,
      logger: options.logger,
      onResult: options.onResult,
      lateness: this.recorder,
      peers: options.peers,
    };
    for (const monitor of options.monitors)
      this.runners.set(monitor.name, new MonitorRunner(monitor, createDriver(monitor), environment));
  }

  /** Exactly these monitors run from now on (the engine's `monitors` output); the others stop. */
  setActive(names: string[]): void {
    if (this.closed) return;
    const wanted = new Set(names);
    for (const name of wanted)
      if (!this.runners.has(name))
        this.logger.once(`monitor-unknown:${name}`, 'warn', 'monitor-unknown', { monitor: name });
    const starting: MonitorRunner[] = [];
    for (const [name, runner] of this.runners) {
      if (!wanted.has(name)) runner.deactivate();
      else if (!runner.isActive) starting.push(runner);
    }
    const spreadMs = starting.length > SPREAD_ABOVE ? Math.min(...starting.map((r) => r.intervalMs)) : 0;
    starting.forEach((runner, i) => {
      const offset = (i * spreadMs) / starting.length;
      runner.activate(Math.floor(offset / SPREAD_STEP_MS) * SPREAD_STEP_MS);
    });
  }

  activeMonitors(): string[] {
    return [...this.runners].filter(([, runner]) => runner.isActive).map(([name]) => name);
  }

  /** How late scheduled checks started, since the start or the last reset. */
  lateness(): LatenessSummary {
    return this.recorder.summary();
  }

  resetLateness(): void {
    this.recorder.reset();
  }

  /** Stops every monitor, aborts running checks and waits (briefly) for them to finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const runner of this.runners.values()) runner.deactivate();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.runners.values()].map((runner) => runner.idle)),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }
}
