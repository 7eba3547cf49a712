// The ocf resource: an OCF resource agent's start, stop and monitor actions. probe = monitor
// (0 running, 7 not running, anything else unknown); start is confirmed by a monitor afterwards.
import { existsSync } from 'node:fs';
import { parseDuration } from '../config/durations.js';
import type { ActionResult, ProbeResult, ResourceContext, ResourceDriver } from './driver.js';
import { guarded, outputLogger, timeLeft } from './guarded.js';
import { InFlightActions } from './in-flight.js';
import {
  agentPath,
  DEFAULT_OCF_ROOT,
  describeAgentResult,
  monitorState,
  parseAgentName,
  runAgent,
  type OcfCall,
} from './ocf-agent.js';
import { ocfParamStrings } from './ocf-params.js';
import { completed } from './run-program.js';

interface OcfResourceParams {
  call: OcfCall;
  monitorTimeoutMs: number;
}

export function readOcfResource(ctx: ResourceContext): OcfResourceParams {
  const { agent, params, ocfRoot, monitorTimeout } = ctx.resource.params;
  if (typeof agent !== 'string') throw new Error('ocf resource has no agent');
  const monitorTimeoutMs = typeof monitorTimeout === 'string' ? parseDuration(monitorTimeout) : 20_000;
  if (monitorTimeoutMs === undefined) throw new Error('ocf resource monitorTimeout is not a duration');
  return {
    call: {
      name: parseAgentName(agent),
      ocfRoot: typeof ocfRoot === 'string' ? ocfRoot : DEFAULT_OCF_ROOT,
      instance: ctx.resource.name,
      params: ocfParamStrings(params, 'ocf resource'),
    },
    monitorTimeoutMs,
  };
}

export function createOcfDriver(): ResourceDriver {
  const actions = new InFlightActions();
  const key = (ctx: ResourceContext) => `${ctx.group}/${ctx.resource.name}`;

  function run(ctx: ResourceContext, call: OcfCall, action: string, timeoutMs: number) {
    return actions.run(key(ctx), (abort) =>
      runAgent(call, action, { timeoutMs, abort, onLine: outputLogger(ctx, action) }),
    );
  }

  function missingAgent(call: OcfCall): ActionResult | undefined {
    const path = agentPath(call.name, call.ocfRoot);
    if (existsSync(path)) return undefined;
    return {
      ok: false,
      detail: `OCF agent ${call.name.provider}:${call.name.agent} not found at ${path}; install it (e.g. the resource-agents package) or check agent and ocfRoot (vigil ocf list)`,
    };
  }

  async function start(ctx: ResourceContext): Promise<ActionResult> {
    const deadline = performance.now() + ctx.timeoutMs;
    const { call, monitorTimeoutMs } = readOcfResource(ctx);
    const missing = missingAgent(call);
    if (missing !== undefined) return missing;
    const result = await run(ctx, call, 'start', timeLeft(deadline));
    if (!completed(result) || result.code !== 0)
      return { ok: false, detail: describeAgentResult(call, 'start', result) };
    const monitor = await run(ctx, call, 'monitor', Math.min(monitorTimeoutMs, timeLeft(deadline)));
    if (monitorState(monitor) !== 'running')
      return { ok: false, detail: `start succeeded but ${describeAgentResult(call, 'monitor', monitor)}` };
    return {
      ok: true,
      detail: `ocf:${call.name.provider}:${call.name.agent} started and its monitor says running`,
    };
  }

  async function stop(ctx: ResourceContext): Promise<ActionResult> {
    const { call } = readOcfResource(ctx);
    const missing = missingAgent(call);
    if (missing !== undefined) return missing;
    const result = await run(ctx, call, 'stop', ctx.timeoutMs);
    const ok = completed(result) && result.code === 0;
    return {
      ok,
      detail: ok
        ? `ocf:${call.name.provider}:${call.name.agent} stopped`
        : describeAgentResult(call, 'stop', result),
    };
  }

  return {
    start: (ctx) => guarded(ctx, 'start', () => start(ctx)),
    stop: (ctx) => guarded(ctx, 'stop', () => stop(ctx)),
    async probe(ctx): Promise<ProbeResult> {
      const names = { group: ctx.group, resource: ctx.resource.name };
      try {
        const { call, monitorTimeoutMs } = readOcfResource(ctx);
        if (missingAgent(call) !== undefined) return 'unknown';
        const result = await run(ctx, call, 'monitor', monitorTimeoutMs);
        const state = monitorState(result);
        if (state === 'failed')
          ctx.logger.warn('resource-probe-unknown', {
            ...names,
            detail: describeAgentResult(call, 'monitor', result),
          });
        return state === 'running' ? 'online' : state === 'stopped' ? 'offline' : 'unknown';
      } catch (error) {
        ctx.logger.error('resource-probe-failed', { ...names, error: (error as Error).message });
        return 'unknown';
      }
    },
    async kill(ctx): Promise<void> {
      // Fencing: kill the agent actions in flight, then the agent's own stop (it knows what it runs).
      await actions.abortAll(key(ctx), 5_000);
      await stop({ ...ctx, timeoutMs: Math.min(ctx.timeoutMs, 10_000) }).catch(() => undefined);
    },
  };
}
