// ocf: runs an OCF resource agent's monitor action. 0 = running (healthy); 7 = not running and every
// other status (with its OCF meaning) is a failed check. The scheduler's timeout aborts the agent.
import type { MonitorModel } from '../engine/model.js';
import {
  DEFAULT_OCF_ROOT,
  describeAgentResult,
  monitorState,
  parseAgentName,
  runAgent,
  type OcfCall,
} from '../resources/ocf-agent.js';
import { ocfParamStrings } from '../resources/ocf-params.js';
import type { CheckResult, MonitorDriver } from './driver.js';

function callOf(monitor: MonitorModel): OcfCall {
  const { agent, params, instance, ocfRoot } = monitor.params;
  if (typeof agent !== 'string') throw new Error(`ocf monitor ${monitor.name} has no agent`);
  return {
    name: parseAgentName(agent),
    ocfRoot: typeof ocfRoot === 'string' ? ocfRoot : DEFAULT_OCF_ROOT,
    instance: typeof instance === 'string' ? instance : (monitor.target?.resource ?? monitor.name),
    params: ocfParamStrings(params, `ocf monitor ${monitor.name}`),
  };
}

export function createOcfMonitor(monitor: MonitorModel): MonitorDriver {
  return {
    async check(ctx): Promise<CheckResult> {
      const call = callOf(monitor);
      // The scheduler aborts through ctx.signal at the monitor's timeout; this bound is only a backstop.
      const result = await runAgent(call, 'monitor', {
        timeoutMs: monitor.timeoutMs + 1000,
        graceMs: 500,
        abort: ctx.signal,
      });
      const state = monitorState(result);
      const detail = describeAgentResult(call, 'monitor', result);
      if (state === 'running')
        return { ok: true, detail: `ocf:${call.name.provider}:${call.name.agent} is running` };
      return { ok: false, detail: state === 'stopped' ? `${detail}: not running` : detail };
    },
  };
}
