// What every monitor driver offers the scheduler. One driver instance per monitor.
import type { Logger } from '../agent/logger.js';
import type { MonitorModel } from '../engine/model.js';
import type { ProcessTable } from '../resources/process-table.js';

export interface MonitorContext {
  monitor: MonitorModel;
  /** Long-running processes of exec resources on this server. */
  processes: ProcessTable;
  logger: Logger;
  /** Fires when the check has run out of time or the monitor was deactivated: give up promptly. */
  signal: AbortSignal;
}

export interface CheckResult {
  ok: boolean;
  /** One line for the operator: what was seen. */
  detail: string;
}

export interface MonitorDriver {
  /** One check. May throw or reject; the scheduler turns that into a failed check. */
  check(ctx: MonitorContext): Promise<CheckResult>;
  /**
   * Optional: call `wake` as soon as the watched thing may have failed, so the scheduler checks now
   * instead of at the next interval. Returns the function that stops watching.
   */
  watch?(ctx: Omit<MonitorContext, 'signal'>, wake: () => void): () => void;
}

export type MonitorDriverFactory = (monitor: MonitorModel) => MonitorDriver;
