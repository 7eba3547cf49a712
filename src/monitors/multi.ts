// multi: in error when at least `atLeast` of the listed monitors are in error on this server, as the
// engine sees them (after their own retries).
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

export function createMultiMonitor(monitor: MonitorModel): MonitorDriver {
  const { monitors, atLeast } = monitor.params as { monitors: string[]; atLeast?: number };
  const needed = atLeast ?? 1;
  return {
    async check(ctx): Promise<CheckResult> {
      const peers = ctx.peers;
      if (!peers) return { ok: false, detail: 'multi monitors need the agent (no monitor states here)' };
      const failing = monitors.filter((name) => peers.stateOf(name) === 'error');
      const unknown = monitors.filter((name) => peers.stateOf(name) === undefined);
      const of = `${failing.length} of ${monitors.length} monitors in error`;
      const which = failing.length ? ` (${failing.join(', ')})` : '';
      const missing = unknown.length ? `; unknown here: ${unknown.join(', ')}` : '';
      const ok = failing.length < needed;
      return { ok, detail: `${of}${which}; error at ${needed}${missing}` };
    },
  };
}
