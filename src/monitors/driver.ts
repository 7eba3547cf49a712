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
  /** Read access to the other monitors and to reports sent from outside (multi, message); the agent sets it. */
  peers?: MonitorPeers;
}

/** What the multi and message drivers may read of the agent's monitor state. */
export interface MonitorPeers {
  /** The engine's state of a monitor on this server ('ok', 'error', 'suspended' …); undefined if unknown. */
  stateOf(monitor: string): string | undefined;
  /** The last report an external tool sent for a monitor (`vigil report`), if any. */
  lastReport(monitor: string): MonitorReport | undefined;
  /** Calls `listener` whenever a report for `monitor` arrives; returns the function that stops it. */
  onReport(monitor: string, listener: () => void): () => void;
}

export interface MonitorReport {
  ok: boolean;
  text: string;
  /** performance.now() when it arrived. */
  at: number;
  by: string;
}

export interface CheckResult {
  ok: boolean;
  /** One line for the operator: what was seen. */
  detail: string;
  /**
   * Optional: the check passed but something is close to its limit (system thresholds). The engine
   * treats it as ok (no failure, no recovery) and raises a warning alert once when it starts.
   */
  warning?: boolean;
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
