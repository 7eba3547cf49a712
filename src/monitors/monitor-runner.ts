// Runs one monitor while it is active: a check right away, then one every interval (at fixed
// times, so checks do not drift), each with a deadline. A check never overlaps the next one of the
// same monitor: a run that falls due while a check is still going waits for it to finish.
import type { Logger } from '../agent/logger.js';
import type { MonitorModel } from '../engine/model.js';
import type { ProcessTable } from '../resources/process-table.js';
import type { CheckResult, MonitorDriver, MonitorPeers } from './driver.js';
import type { LatenessRecorder } from './lateness.js';

/** `warning`: an ok result close to a limit (see CheckResult.warning). */
export type MonitorResultHandler = (monitor: string, ok: boolean, detail: string, warning?: boolean) => void;

export interface RunnerEnvironment {
  processes: ProcessTable;
  logger: Logger;
  onResult: MonitorResultHandler;
  lateness: LatenessRecorder;
  peers?: MonitorPeers;
}

interface RunningCheck {
  startedAt: number;
  abort: AbortController;
  timedOut: boolean;
  finished: Promise<void>;
}

export class MonitorRunner {
  private active = false;
  /** Bumped at each (de)activation: results of checks from an earlier activation are dropped. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private current: RunningCheck | undefined;
  /** A run fell due (or was woken) while a check was still going: run once it finishes. */
  private pending = false;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly model: MonitorModel,
    private readonly driver: MonitorDriver,
    private readonly env: RunnerEnvironment,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  get intervalMs(): number {
    return this.model.intervalMs;
  }

  /** Settles when no check of this monitor is running. */
  get idle(): Promise<void> {
    return this.current?.finished ?? Promise.resolve();
  }

  /** `firstDelayMs`: when the first check runs (the scheduler spreads many monitors starting together). */
  activate(firstDelayMs = 0): void {
    if (this.active) return;
    this.active = true;
    this.generation += 1;
    const { processes, logger, peers } = this.env;
    this.unwatch = this.driver.watch?.({ monitor: this.model, processes, logger, peers }, () => this.wake());
    if (firstDelayMs <= 0) this.run(undefined);
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.active) this.run(undefined);
      }, firstDelayMs);
  }

  deactivate(): void {
    if (!this.active) return;
    this.active = false;
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.unwatch?.();
    this.unwatch = undefined;
    this.current?.abort.abort();
  }

  /** The driver saw something change: check now rather than at the next interval. */
  private wake(): void {
    if (this.active) this.run(undefined);
  }

  /** Starts a check now. `due` is when a scheduled run was due; undefined for the first or a woken one. */
  private run(due: number | undefined): void {
    if (this.current !== undefined) {
      if (due !== undefined && this.current.timedOut) {
        const overdue = Math.round(performance.now() - this.current.startedAt - this.model.timeoutMs);
        this.report(false, `the previous check is still running ${overdue} ms after it timed out`);
      }
      this.pending = true;
      return;
    }
    const now = performance.now();
    if (due !== undefined) this.env.lateness.record(now - due);
    // Fixed rate: the next run is due one interval after this one was due, unless that has passed.
    const next =
      due !== undefined && due + this.model.intervalMs > now
        ? due + this.model.intervalMs
        : now + this.model.intervalMs;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.active) this.run(next);
    }, next - now);
    this.startCheck();
  }

  private startCheck(): void {
    const generation = this.generation;
    const abort = new AbortController();
    const check: RunningCheck = {
      startedAt: performance.now(),
      abort,
      timedOut: false,
      finished: Promise.resolve(),
    };
    const deadline = setTimeout(() => {
      check.timedOut = true;
      abort.abort();
      this.report(false, `timed out after ${this.model.timeoutMs} ms`, generation);
    }, this.model.timeoutMs);
    const { processes, logger, peers } = this.env;
    const result = new Promise<CheckResult>((resolve) =>
      resolve(this.driver.check({ monitor: this.model, processes, logger, peers, signal: abort.signal })),
    ).catch((error: unknown): CheckResult => ({
      ok: false,
      detail: `check failed: ${(error as Error)?.message ?? error}`,
    }));
    check.finished = result.then((outcome) => {
      clearTimeout(deadline);
      if (!check.timedOut) {
        const slow = this.slowness(performance.now() - check.startedAt, outcome);
        const detail = slow ? `${outcome.detail} (${slow})` : outcome.detail;
        this.report(outcome.ok, detail, generation, outcome.warning === true || slow !== undefined);
      }
      this.current = undefined;
      if (this.pending && this.active) {
        this.pending = false;
        this.env.lateness.noteDeferred();
        this.run(undefined);
      }
    });
    this.current = check;
  }

  /** delayWarning: an ok check that took more than that share of the timeout passes with a warning. */
  private slowness(elapsedMs: number, outcome: CheckResult): string | undefined {
    const { delayWarning, timeoutMs } = this.model;
    if (!outcome.ok || delayWarning === undefined) return undefined;
    const limitMs = Math.round((timeoutMs * delayWarning) / 100);
    if (elapsedMs <= limitMs) return undefined;
    return `slow: took ${Math.round(elapsedMs)} ms, warning above ${limitMs} ms`;
  }

  private report(ok: boolean, detail: string, generation = this.generation, warning = false): void {
    if (!this.active || generation !== this.generation) return;
    try {
      if (warning) this.env.onResult(this.model.name, ok, detail, true);
      else this.env.onResult(this.model.name, ok, detail);
    } catch (error) {
      this.env.logger.error('monitor-result-handler-failed', {
        monitor: this.model.name,
        error: (error as Error)?.message ?? String(error),
      });
    }
  }
}
