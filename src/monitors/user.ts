// user: the agent's own event-loop delay (a stall: a long synchronous task, swapping, SIGSTOP, a
// starved CPU). Node's event-loop delay histogram records it between checks; the worst delay since
// the previous check is compared with the threshold.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parseDuration } from '../config/durations.js';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

/** Sampling resolution of the histogram: stalls shorter than this are not seen, which is fine. */
const RESOLUTION_MS = 20;

export function createUserMonitor(monitor: MonitorModel): MonitorDriver {
  const thresholdText = (monitor.params.threshold as string | undefined) ?? '1s';
  const thresholdMs = parseDuration(thresholdText) ?? 1000;
  let histogram: IntervalHistogram | undefined;
  const start = () => {
    if (histogram) return;
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
  };
  return {
    async check(): Promise<CheckResult> {
      if (!histogram) {
        start();
        return { ok: true, detail: 'started measuring the event-loop delay' };
      }
      // The histogram measures the delay beyond the sampling interval, in nanoseconds.
      const worstMs = Math.round(histogram.max / 1e6);
      histogram.reset();
      if (worstMs > thresholdMs)
        return {
          ok: false,
          detail: `the agent's event loop stalled for ${worstMs} ms (limit ${thresholdMs} ms); check CPU load, swapping and the agent's log`,
        };
      return { ok: true, detail: `longest event-loop stall ${worstMs} ms (limit ${thresholdMs} ms)` };
    },
    watch() {
      start();
      return () => {
        histogram?.disable();
        histogram = undefined;
      };
    },
  };
}
