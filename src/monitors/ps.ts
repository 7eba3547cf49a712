// ps: counts the processes whose name (/proc/PID/comm) or command line (/proc/PID/cmdline) matches,
// read straight from /proc; healthy when the count is within min..max.
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';
import { findProcesses, type ProcessMatch } from './proc.js';

/** How many pids the detail names before "…". */
const SHOWN_PIDS = 5;

export function createPsMonitor(monitor: MonitorModel): MonitorDriver {
  const {
    process: name,
    pattern,
    min,
    max,
  } = monitor.params as {
    process?: string;
    pattern?: string;
    min?: number;
    max?: number;
  };
  const low = min ?? 1;
  return {
    async check(ctx): Promise<CheckResult> {
      if ((name === undefined) === (pattern === undefined))
        return { ok: false, detail: `ps monitor ${monitor.name} needs exactly one of process or pattern` };
      const match: ProcessMatch = name !== undefined ? { name } : { pattern: new RegExp(pattern ?? '') };
      const what = name !== undefined ? `named ${name}` : `matching /${pattern}/`;
      const pids = await findProcesses(match, ctx.signal);
      const shown = pids.slice(0, SHOWN_PIDS).join(', ') + (pids.length > SHOWN_PIDS ? ', …' : '');
      const found = `${pids.length} process${pids.length === 1 ? '' : 'es'} ${what}${pids.length ? ` (pid ${shown})` : ''}`;
      if (pids.length < low) return { ok: false, detail: `${found}; expected at least ${low}` };
      if (max !== undefined && pids.length > max)
        return { ok: false, detail: `${found}; expected at most ${max}` };
      return { ok: true, detail: found };
    },
  };
}
