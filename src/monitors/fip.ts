// fip: healthy while the target fip resource's address is on its device here (someone may have run
// `ip addr del`, or a network manager may have flushed the interface). Reads `ip -j addr show`.
import type { MonitorModel } from '../engine/model.js';
import { parseFip, presenceOf, showArgv } from '../resources/fip-address.js';
import { runTool } from '../resources/tool.js';
import type { CheckResult, MonitorDriver } from './driver.js';

export function createFipMonitor(monitor: MonitorModel): MonitorDriver {
  return {
    async check(ctx): Promise<CheckResult> {
      const params = monitor.targetParams;
      if (monitor.target?.resource === undefined || params === undefined)
        return {
          ok: false,
          detail: `fip monitor ${monitor.name} has no target fip resource (group/resource)`,
        };
      const fip = parseFip(params.address, params.device, `fip resource ${monitor.target.resource}`);
      const where = `${fip.address} on ${fip.device}`;
      const result = await runTool(showArgv(fip), {
        env: process.env,
        timeoutMs: monitor.timeoutMs,
        abort: ctx.signal,
      });
      const seen = presenceOf(fip, result);
      switch (seen.state) {
        case 'present':
          return { ok: true, detail: `${where} is present` };
        case 'absent':
          return { ok: false, detail: `${where} is missing (removed by someone or by a network manager?)` };
        case 'no-device':
          return { ok: false, detail: `${where} is missing: there is no device ${fip.device} here` };
        case 'unknown':
          return { ok: false, detail: `cannot tell whether ${where} is present: ${seen.why}` };
      }
    },
  };
}
