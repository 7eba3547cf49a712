// The frame shared by drivers that work through command-line tools: each action gets a session that
// runs tools within the action's deadline, polls a state until it holds, and is aborted by fencing.
// Drivers never throw: an unexpected error (a bad parameter) becomes a failed action naming the resource.
import type { ActionResult, ProbeResult, ResourceContext, ResourceDriver } from './driver.js';
import { parseDuration } from '../config/durations.js';
import { InFlightActions } from './in-flight.js';
import { runTool, type ToolResult } from './tool.js';
import { delay } from './wait.js';

export interface ToolDriverOptions {
  /** The environment tools run with; its PATH finds them (default: the agent's environment). */
  env?: NodeJS.ProcessEnv;
  /** Pause between two polls of a state (default 500 ms). */
  pollMs?: number;
  /** Longest a probe, a diagnostic or a fencing command may take (default 10 s). */
  shortTimeoutMs?: number;
}

export interface ToolSession {
  ctx: ResourceContext;
  /** Runs a tool within what is left of the action's deadline (and at most `capMs`). */
  run(argv: string[], extra?: { input?: string; capMs?: number }): Promise<ToolResult>;
  /** Runs a tool with its own short timeout, even past the deadline: for diagnostics in error messages. */
  diagnose(argv: string[]): Promise<ToolResult>;
  /** Milliseconds left before the action's deadline. */
  remainingMs(): number;
  /** Calls `check` every poll interval until it gives a value; undefined once `withinMs` (default: the deadline) has passed. */
  poll<T>(check: () => Promise<T | undefined>, withinMs?: number): Promise<T | undefined>;
}

export interface ToolDriverSpec<P> {
  /** Checks the parameters again (the config did already) so a bad model fails clearly; throws with the reason. */
  readParams(params: Record<string, unknown>, ctx: ResourceContext): P;
  start(session: ToolSession, params: P): Promise<ActionResult>;
  stop(session: ToolSession, params: P): Promise<ActionResult>;
  probe(session: ToolSession, params: P): Promise<ProbeResult>;
  /** Fencing, once the actions in flight were aborted: make the resource stop at once (best effort). */
  kill?(session: ToolSession, params: P): Promise<void>;
}

const KILL_WAIT_MS = 5000;

export function createToolDriver<P>(
  spec: ToolDriverSpec<P>,
  options: ToolDriverOptions = {},
): ResourceDriver {
  const env = options.env ?? process.env;
  const pollMs = options.pollMs ?? 500;
  const shortMs = options.shortTimeoutMs ?? 10_000;
  const actions = new InFlightActions();

  const session = (ctx: ResourceContext, timeoutMs: number, abort?: AbortSignal): ToolSession => {
    const deadline = performance.now() + timeoutMs;
    const remainingMs = () => Math.max(0, Math.floor(deadline - performance.now()));
    const run = async (argv: string[], extra: { input?: string; capMs?: number } = {}) => {
      const result = await runTool(argv, {
        env,
        abort,
        input: extra.input,
        timeoutMs: Math.min(remainingMs(), extra.capMs ?? Infinity),
      });
      ctx.logger.debug('resource-tool', {
        group: ctx.group,
        resource: ctx.resource.name,
        argv,
        code: result.code,
        ...(result.ok ? {} : { failure: result.failure, stderr: result.stderr }),
      });
      return result;
    };
    return {
      ctx,
      run,
      diagnose: (argv) => runTool(argv, { env, timeoutMs: Math.min(shortMs, 3000) }),
      remainingMs,
      async poll(check, withinMs) {
        const until = withinMs === undefined ? deadline : Math.min(deadline, performance.now() + withinMs);
        while (true) {
          const value = await check();
          if (value !== undefined) return value;
          if (abort?.aborted || performance.now() + pollMs >= until) return undefined;
          await delay(pollMs);
        }
      },
    };
  };

  const key = (ctx: ResourceContext) => `${ctx.group}/${ctx.resource.name}`;

  const act = async (ctx: ResourceContext, action: 'start' | 'stop'): Promise<ActionResult> => {
    try {
      const params = spec.readParams(ctx.resource.params, ctx);
      return await actions.run(key(ctx), (abort) => spec[action](session(ctx, ctx.timeoutMs, abort), params));
    } catch (error) {
      const detail = `${action} of ${key(ctx)} (${ctx.resource.type}) failed: ${(error as Error).message}`;
      ctx.logger.error('resource-action-error', {
        group: ctx.group,
        resource: ctx.resource.name,
        action,
        detail,
      });
      return { ok: false, detail };
    }
  };

  return {
    start: (ctx) => act(ctx, 'start'),
    stop: (ctx) => act(ctx, 'stop'),
    async probe(ctx): Promise<ProbeResult> {
      try {
        return await spec.probe(session(ctx, shortMs), spec.readParams(ctx.resource.params, ctx));
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
      try {
        await actions.abortAll(key(ctx), KILL_WAIT_MS);
        await spec.kill?.(session(ctx, shortMs), spec.readParams(ctx.resource.params, ctx));
      } catch (error) {
        ctx.logger.error('resource-kill-failed', {
          group: ctx.group,
          resource: ctx.resource.name,
          error: (error as Error).message,
        });
      }
    },
  };
}

/** A failed action with one line for the operator. */
export function failed(detail: string): ActionResult {
  return { ok: false, detail };
}

/** Reads parameters the config validated, checking each again: a clear error beats a crash. */
export class ParamReader {
  constructor(
    private readonly type: string,
    private readonly params: Record<string, unknown>,
  ) {}

  string(key: string): string {
    const value = this.params[key];
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`${this.type} resource has no ${key}`);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.params[key] === undefined ? undefined : this.string(key);
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.params[key] ?? fallback;
    if (typeof value !== 'boolean') throw new Error(`${this.type} resource ${key} is not true or false`);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.params[key] ?? fallback;
    if (!allowed.includes(value as T))
      throw new Error(`${this.type} resource ${key} must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  strings(key: string): string[] {
    const value = this.params[key] ?? [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
      throw new Error(`${this.type} resource ${key} is not a list of strings`);
    return value as string[];
  }

  integer(key: string, fallback: number): number {
    const value = this.params[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw new Error(`${this.type} resource ${key} is not a whole number`);
    return value;
  }

  /** Whole seconds given as a number, or a duration such as "300ms"; in milliseconds. */
  secondsOrDurationMs(key: string, fallbackSeconds: number): number {
    return typeof this.params[key] === 'string'
      ? this.durationMs(key, `${fallbackSeconds}s`)
      : this.integer(key, fallbackSeconds) * 1000;
  }

  /** A duration such as "30s", in milliseconds. */
  durationMs(key: string, fallback: string): number {
    const value = this.params[key] ?? fallback;
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined) throw new Error(`${this.type} resource ${key} is not a duration such as 30s`);
    return ms;
  }
}
