// The exec resource's parameters (validated by the config; checked again here so a bad model gives
// a clear failure rather than a crash) and the environment its commands run with.
import type { ResourceContext } from './driver.js';

export interface ExecParams {
  start: string;
  stop?: string;
  longRunning: boolean;
  env: Record<string, string>;
}

export function readExecParams(params: Record<string, unknown>): ExecParams {
  const { start, stop, longRunning, env } = params;
  if (typeof start !== 'string' || start.trim() === '') throw new Error('exec resource has no start command');
  if (stop !== undefined && typeof stop !== 'string') throw new Error('exec resource stop is not a string');
  if (longRunning !== undefined && typeof longRunning !== 'boolean')
    throw new Error('exec resource longRunning is not true or false');
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (typeof value !== 'string') throw new Error(`exec resource env ${name} is not a string`);
    variables[name] = value;
  }
  return {
    start,
    ...(stop === undefined || stop.trim() === '' ? {} : { stop }),
    longRunning: longRunning === true,
    env: variables,
  };
}

/** The agent's environment, then the resource's `env`, then the VIGIL_* variables (which always win). */
export function execEnvironment(ctx: ResourceContext, params: ExecParams): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...params.env,
    VIGIL_EVENT: ctx.event,
    VIGIL_CLUSTER: ctx.cluster,
    VIGIL_GROUP: ctx.group,
    VIGIL_RESOURCE: ctx.resource.name,
    VIGIL_SERVER: ctx.server,
  };
}
