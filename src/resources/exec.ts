// The exec resource: start and stop commands run through /bin/sh, or (longRunning) one service
// process that the agent keeps track of. See docs/resources.md.
import type {
  ActionResult,
  ProbeResult,
  ResourceContext,
  ResourceDriver,
  ResourceDriverDeps,
} from './driver.js';
import { LongRunningExec } from './exec-long-running.js';
import { readExecParams, type ExecParams } from './exec-params.js';
import { resourceKey, runScript } from './exec-script.js';
import { InFlightActions } from './in-flight.js';

export interface ExecDriverOptions {
  /** A long-running process must still be running this long after it started (default 300 ms). */
  settleMs?: number;
  /** Between SIGTERM and SIGKILL when a command times out (default 2000 ms). */
  killGraceMs?: number;
  /** How long to wait for a process group to disappear after SIGKILL (default 5000 ms). */
  killWaitMs?: number;
}

export function createExecDriver(deps: ResourceDriverDeps, options: ExecDriverOptions = {}): ResourceDriver {
  const settings = {
    settleMs: options.settleMs ?? 300,
    killGraceMs: options.killGraceMs ?? 2000,
    killWaitMs: options.killWaitMs ?? 5000,
  };
  const actions = new InFlightActions();
  const longRunning = new LongRunningExec(deps.processes, actions, settings);

  return {
    start: (ctx) =>
      act(ctx, 'start', (params) =>
        params.longRunning
          ? longRunning.start(ctx, params)
          : runScript(ctx, 'start', params, actions, settings),
      ),
    stop: (ctx) =>
      act(ctx, 'stop', (params) =>
        params.longRunning
          ? longRunning.stop(ctx, params)
          : runScript(ctx, 'stop', params, actions, settings),
      ),
    async probe(ctx): Promise<ProbeResult> {
      try {
        // A short-running resource leaves nothing behind that says whether it is active.
        return readExecParams(ctx.resource.params).longRunning ? longRunning.probe(ctx) : 'unknown';
      } catch (error) {
        ctx.logger.error('resource-probe-failed', { ...names(ctx), error: (error as Error).message });
        return 'unknown';
      }
    },
    async kill(ctx): Promise<void> {
      try {
        await actions.abortAll(resourceKey(ctx), settings.killWaitMs);
        if (readExecParams(ctx.resource.params).longRunning) await longRunning.kill(ctx);
      } catch (error) {
        ctx.logger.error('resource-kill-failed', { ...names(ctx), error: (error as Error).message });
      }
    },
  };
}

/** Drivers never throw: an unexpected error becomes a failed action that names the resource. */
async function act(
  ctx: ResourceContext,
  action: 'start' | 'stop',
  run: (params: ExecParams) => Promise<ActionResult>,
): Promise<ActionResult> {
  try {
    return await run(readExecParams(ctx.resource.params));
  } catch (error) {
    const detail = `${action} of ${resourceKey(ctx)} failed: ${(error as Error).message}`;
    ctx.logger.error('resource-action-error', { ...names(ctx), action, detail });
    return { ok: false, detail };
  }
}

function names(ctx: ResourceContext): { group: string; resource: string } {
  return { group: ctx.group, resource: ctx.resource.name };
}
