// Drivers never throw: an unexpected error becomes a failed action that names the resource.
import type { ActionResult, ResourceContext } from './driver.js';

export async function guarded(
  ctx: ResourceContext,
  action: string,
  run: () => Promise<ActionResult>,
): Promise<ActionResult> {
  try {
    return await run();
  } catch (error) {
    const detail = `${action} of ${ctx.group}/${ctx.resource.name} failed: ${(error as Error).message}`;
    ctx.logger.error('resource-action-error', {
      group: ctx.group,
      resource: ctx.resource.name,
      action,
      detail,
    });
    return { ok: false, detail };
  }
}

/** Logs each output line of a tool a driver runs, under the resource's name. */
export function outputLogger(ctx: ResourceContext, command: string) {
  return (stream: 'stdout' | 'stderr', line: string): void =>
    ctx.logger.info('resource-output', {
      group: ctx.group,
      resource: ctx.resource.name,
      command,
      stream,
      line,
    });
}

/** Milliseconds left until `deadline` (performance.now() based), at least 1. */
export function timeLeft(deadline: number): number {
  return Math.max(1, Math.round(deadline - performance.now()));
}
