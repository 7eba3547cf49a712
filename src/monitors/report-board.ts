// The last report outside tools sent for each monitor (`vigil report`, control method monitor.report),
// kept by the agent for the message monitors, which are woken when one arrives.
import type { MonitorReport } from './driver.js';

export class ReportBoard {
  private readonly reports = new Map<string, MonitorReport>();
  private readonly listeners = new Map<string, Set<() => void>>();

  report(monitor: string, ok: boolean, text: string, by: string): void {
    this.reports.set(monitor, { ok, text, by, at: performance.now() });
    for (const listener of [...(this.listeners.get(monitor) ?? [])]) listener();
  }

  last(monitor: string): MonitorReport | undefined {
    return this.reports.get(monitor);
  }

  on(monitor: string, listener: () => void): () => void {
    const set = this.listeners.get(monitor) ?? new Set();
    set.add(listener);
    this.listeners.set(monitor, set);
    return () => set.delete(listener);
  }
}
