// pid: healthy while the long-running process of the target exec resource is running here. The
// exec driver records the process in the process table, which also says at once when it exits.
import type { MonitorModel } from '../engine/model.js';
import type { ProcessStatus } from '../resources/process-table.js';
import type { CheckResult, MonitorDriver } from './driver.js';

export function createPidMonitor(monitor: MonitorModel): MonitorDriver {
  const target = monitor.target;
  return {
    async check(ctx): Promise<CheckResult> {
      if (target?.resource === undefined)
        return { ok: false, detail: `pid monitor ${monitor.name} has no target resource (group/resource)` };
      const name = `${target.group}/${target.resource}`;
      return describe(name, ctx.processes.status(target.group, target.resource));
    },
    watch(ctx, wake) {
      if (target?.resource === undefined) return () => {};
      return ctx.processes.onExit(target.group, target.resource, wake);
    },
  };
}

function describe(name: string, status: ProcessStatus): CheckResult {
  switch (status.state) {
    case 'running':
      return { ok: true, detail: `process ${status.pid} of ${name} is running` };
    case 'none':
      return { ok: false, detail: `${name} has no process running here` };
    case 'exited': {
      const { exit } = status;
      if (exit === undefined) return { ok: false, detail: `process ${status.pid} of ${name} is not running` };
      const how = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
      return { ok: false, detail: `process ${status.pid} of ${name} ${how}` };
    }
  }
}
