// The lsb resource: an init script's start, stop and status actions with their LSB exit codes.
// status 0 = running, 3 = not running; anything else is unknown. start and stop are checked with
// status afterwards, so a script that exits 0 without doing the job does not pass unnoticed.
import { parseDuration } from '../config/durations.js';
import type { ActionResult, ProbeResult, ResourceContext, ResourceDriver } from './driver.js';
import { describeActionCode, describeLsbStatus } from './exit-codes.js';
import { guarded, outputLogger, timeLeft } from './guarded.js';
import { InFlightActions } from './in-flight.js';
import { completed, describeProgram, runProgram, type ProgramResult } from './run-program.js';

interface LsbParams {
  script: string;
  statusTimeoutMs: number;
  env: Record<string, string>;
}

function readLsbParams(params: Record<string, unknown>): LsbParams {
  const { script, statusTimeout, env } = params;
  if (typeof script !== 'string' || !script.startsWith('/'))
    throw new Error('lsb resource script must be an absolute path');
  const statusTimeoutMs = typeof statusTimeout === 'string' ? parseDuration(statusTimeout) : 20_000;
  if (statusTimeoutMs === undefined) throw new Error('lsb resource statusTimeout is not a duration');
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (typeof value !== 'string') throw new Error(`lsb resource env ${name} is not a string`);
    variables[name] = value;
  }
  return { script, statusTimeoutMs, env: variables };
}

type Status = 'running' | 'stopped' | 'unknown';

export function createLsbDriver(): ResourceDriver {
  const actions = new InFlightActions();
  const key = (ctx: ResourceContext) => `${ctx.group}/${ctx.resource.name}`;

  function run(
    ctx: ResourceContext,
    params: LsbParams,
    action: string,
    timeoutMs: number,
  ): Promise<ProgramResult> {
    return actions.run(key(ctx), (abort) =>
      runProgram([params.script, action], {
        env: { ...process.env, ...params.env },
        timeoutMs,
        abort,
        onLine: outputLogger(ctx, action),
      }),
    );
  }

  async function status(
    ctx: ResourceContext,
    params: LsbParams,
  ): Promise<{ status: Status; detail: string }> {
    const result = await run(ctx, params, 'status', params.statusTimeoutMs);
    if (!completed(result))
      return { status: 'unknown', detail: describeProgram(`${params.script} status`, result) };
    const detail = `${params.script} ${describeLsbStatus(result.code)}`;
    if (result.code === 0) return { status: 'running', detail };
    if (result.code === 3) return { status: 'stopped', detail };
    return { status: 'unknown', detail };
  }

  async function act(ctx: ResourceContext, action: 'start' | 'stop'): Promise<ActionResult> {
    const deadline = performance.now() + ctx.timeoutMs;
    const params = readLsbParams(ctx.resource.params);
    const result = await run(ctx, params, action, timeLeft(deadline));
    if (!completed(result))
      return { ok: false, detail: `${describeProgram(`${params.script} ${action}`, result)}` };
    if (result.code !== 0)
      return {
        ok: false,
        detail: `${params.script} ${action} failed with ${describeActionCode(result.code)}`,
      };
    const after = await status(ctx, params);
    const wanted: Status = action === 'start' ? 'running' : 'stopped';
    if (after.status !== wanted)
      return {
        ok: false,
        detail: `${params.script} ${action} exited 0 but ${after.detail}; check the script's status action`,
      };
    return { ok: true, detail: `${params.script} ${action} done (${after.detail})` };
  }

  return {
    start: (ctx) => guarded(ctx, 'start', () => act(ctx, 'start')),
    stop: (ctx) => guarded(ctx, 'stop', () => act(ctx, 'stop')),
    async probe(ctx): Promise<ProbeResult> {
      try {
        const { status: found, detail } = await status(ctx, readLsbParams(ctx.resource.params));
        if (found === 'unknown')
          ctx.logger.warn('resource-probe-unknown', {
            group: ctx.group,
            resource: ctx.resource.name,
            detail,
          });
        return found === 'running' ? 'online' : found === 'stopped' ? 'offline' : 'unknown';
      } catch (error) {
        ctx.logger.error('resource-probe-failed', {
          group: ctx.group,
          resource: ctx.resource.name,
          error: (error as Error).message,
        });
        return 'unknown';
      }
    },
    async kill(ctx): Promise<void> {
      // Fencing: kill the script actions in flight, then a stop (the script knows its daemon's pid).
      await actions.abortAll(key(ctx), 5_000);
      await act({ ...ctx, timeoutMs: Math.min(ctx.timeoutMs, 10_000) }, 'stop').catch(() => undefined);
    },
  };
}
