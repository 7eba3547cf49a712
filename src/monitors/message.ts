// message: the result is the last report an outside tool sent (`vigil report MONITOR ok|error TEXT`).
// With `expire`, a report older than that, or none that long after the monitor started, is an error
// (or a warning, with whenExpired: warning). A new report is checked at once.
import { parseDuration } from '../config/durations.js';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

export function createMessageMonitor(monitor: MonitorModel): MonitorDriver {
  const { expire, whenExpired } = monitor.params as { expire?: string; whenExpired?: 'error' | 'warning' };
  const expireMs = expire === undefined ? undefined : parseDuration(expire);
  const startedAt = performance.now();
  const expired = (detail: string): CheckResult =>
    whenExpired === 'warning' ? { ok: true, warning: true, detail } : { ok: false, detail };
  return {
    async check(ctx): Promise<CheckResult> {
      const report = ctx.peers?.lastReport(monitor.name);
      const now = performance.now();
      if (!report) {
        if (expireMs !== undefined && now - startedAt > expireMs)
          return expired(
            `no report in the ${expire} since the agent started; check the tool that sends them`,
          );
        return { ok: true, detail: 'no report yet' };
      }
      const age = Math.round((now - report.at) / 1000);
      if (expireMs !== undefined && now - report.at > expireMs)
        return expired(`the last report is ${age} s old (expires after ${expire}): "${report.text}"`);
      const said = report.text === '' ? '' : `: ${report.text}`;
      return { ok: report.ok, detail: `${report.by} reported ${report.ok ? 'ok' : 'error'}${said}` };
    },
    watch(ctx, wake) {
      return ctx.peers?.onReport(monitor.name, wake) ?? (() => {});
    },
  };
}
