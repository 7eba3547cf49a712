// custom: runs a script. Synchronous (default): every check runs it, exit status 0 is healthy, and
// the check's timeout kills its whole process group. Long-running: the script is started once and
// stays healthy while it runs; its exit is a failure reported at once, and the next check starts it
// again. Either way the last line of its output goes in the detail. Synchronous runs are started by
// the script spawner, a helper process, so that starting them does not stall the agent.
import type { MonitorModel } from '../engine/model.js';
import { describeExit, killGroup, ProcessGroup } from '../resources/process-group.js';
import { scriptSpawner, type ScriptSpawner } from '../resources/script-spawner.js';
import type { CheckResult, MonitorContext, MonitorDriver } from './driver.js';
import { oneLine } from './net-errors.js';

/** Between SIGTERM and SIGKILL for a synchronous script that outlives the timeout. */
const KILL_GRACE_MS = 500;
/** How long to wait for a killed process group to go away. */
const KILL_WAIT_MS = 5000;
/** A freshly started long-running script must still be running this long to count as started. */
const SETTLE_MS = 300;

export function createCustomMonitor(
  monitor: MonitorModel,
  spawner: ScriptSpawner = scriptSpawner,
): MonitorDriver {
  const args = Array.isArray(monitor.params.args) ? monitor.params.args.map(String) : [];
  const command = [String(monitor.params.script), ...args.map(shellQuote)].join(' ');
  const extraEnv = { VIGIL_MONITOR: monitor.name };
  return monitor.params.longRunning === true
    ? longRunning(command, { ...process.env, ...extraEnv })
    : { check: (ctx) => runOnce(spawner, command, extraEnv, monitor.timeoutMs, ctx) };
}

async function runOnce(
  spawner: ScriptSpawner,
  command: string,
  env: Record<string, string>,
  timeoutMs: number,
  ctx: MonitorContext,
): Promise<CheckResult> {
  // The signal fires at the check's timeout; the runner's own timer is only a backstop.
  const result = await spawner.run(command, { env, timeoutMs, graceMs: KILL_GRACE_MS, abort: ctx.signal });
  const last = lastLine(result.lastLines);
  const ok = result.code === 0 && result.error === undefined && !result.timedOut && !result.aborted;
  if (result.aborted)
    return { ok: false, detail: `script timed out after ${result.durationMs} ms (killed)${last}` };
  return { ok, detail: `script ${describeExit(result)} in ${result.durationMs} ms${last}` };
}

function longRunning(command: string, env: NodeJS.ProcessEnv): MonitorDriver {
  let child: ProcessGroup | undefined;
  let wake: (() => void) | undefined;

  const start = (): ProcessGroup => {
    const started = ProcessGroup.spawn(command, { env });
    child = started;
    void started.exited.then(() => {
      if (child === started) wake?.();
    });
    return started;
  };

  return {
    async check(ctx): Promise<CheckResult> {
      if (child?.exit !== undefined) {
        const ended = child;
        child = undefined; // the next check starts it again
        const exit = ended.exit ?? { code: null, signal: null };
        return {
          ok: false,
          detail: `script pid ${ended.pid} ${describeExit(exit)}${lastLine(ended.lastLines())}`,
        };
      }
      if (child !== undefined) return { ok: true, detail: `script pid ${child.pid} is running` };
      let started: ProcessGroup;
      try {
        started = start();
      } catch (error) {
        return { ok: false, detail: `script could not be started: ${(error as Error).message}` };
      }
      const settled = await settle(started, ctx.signal);
      if (settled === 'exited') {
        child = undefined;
        const exit = started.exit ?? { code: null, signal: null };
        return {
          ok: false,
          detail: `script pid ${started.pid} ${describeExit(exit)} right after it started${lastLine(started.lastLines())}`,
        };
      }
      return { ok: true, detail: `script started as pid ${started.pid}` };
    },
    watch(_ctx, onExit) {
      wake = onExit;
      return () => {
        // Deactivated: the script must not outlive the monitor.
        wake = undefined;
        const ended = child;
        child = undefined;
        if (ended !== undefined && ended.exit === undefined) void killGroup(ended.pid, KILL_WAIT_MS);
      };
    },
  };
}

/** Waits until the new process has run SETTLE_MS (or the check is aborted), or has exited. */
function settle(child: ProcessGroup, signal: AbortSignal): Promise<'running' | 'exited'> {
  return new Promise((resolve) => {
    const finish = (outcome: 'running' | 'exited') => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish('running');
    const timer = setTimeout(() => finish('running'), SETTLE_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    void child.exited.then(() => finish('exited'));
  });
}

/** ": <last line of output>" or "" */
function lastLine(lines: string[]): string {
  const last = lines.filter((line) => line.trim() !== '').pop();
  return last === undefined ? '' : `: ${oneLine(last.trim())}`;
}

/** One argument for /bin/sh, in single quotes. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
