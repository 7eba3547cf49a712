// Runs one start or stop command of an exec resource to completion, logging its output under the
// resource's name, and turns the outcome into an ActionResult.
import type { ActionResult, ResourceContext } from './driver.js';
import { execEnvironment, type ExecParams } from './exec-params.js';
import type { InFlightActions } from './in-flight.js';
import { describeLastLines } from './lines.js';
import { describeExit, runCommand } from './process-group.js';

export type ScriptKind = 'start' | 'stop';

export interface ScriptSettings {
  /** Between SIGTERM and SIGKILL when the command times out. */
  killGraceMs: number;
}

export function resourceKey(ctx: ResourceContext): string {
  return `${ctx.group}/${ctx.resource.name}`;
}

export async function runScript(
  ctx: ResourceContext,
  kind: ScriptKind,
  params: ExecParams,
  actions: InFlightActions,
  settings: ScriptSettings,
): Promise<ActionResult> {
  const command = kind === 'start' ? params.start : params.stop;
  if (command === undefined) return { ok: true, detail: `no ${kind} command` };
  const result = await actions.run(resourceKey(ctx), (abort) =>
    runCommand(command, {
      env: execEnvironment(ctx, params),
      timeoutMs: ctx.timeoutMs,
      graceMs: settings.killGraceMs,
      abort,
      onLine: (stream, line) =>
        ctx.logger.info('resource-output', {
          group: ctx.group,
          resource: ctx.resource.name,
          command: kind,
          stream,
          line,
        }),
    }),
  );
  const ok = result.code === 0 && !result.timedOut && !result.aborted && result.error === undefined;
  const detail = `${kind} command ${describeExit(result)}`;
  return { ok, detail: ok ? detail : `${detail}${describeLastLines(result.lastLines)}` };
}
