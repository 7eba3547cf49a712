// exec with longRunning: true. `start` is the service process itself, kept in its own process group;
// a pid file under the state directory lets a restarted agent find it again, and the process table
// lets monitors watch it.
import { closeSync } from 'node:fs';
import type { ActionResult, ProbeResult, ResourceContext } from './driver.js';
import { execEnvironment, type ExecParams } from './exec-params.js';
import { resourceKey, runScript } from './exec-script.js';
import type { InFlightActions } from './in-flight.js';
import { describeLastLines } from './lines.js';
import { OutputTail, openOutputFile } from './output-file.js';
import { outputFilePath, pidFilePath, readPidFile, removePidFile, writePidFile } from './pid-file.js';
import { groupMembers, isGroupRunning, isProcessRunning, processStartTime } from './proc.js';
import { describeExit, killGroup, ProcessGroup, terminateGroup } from './process-group.js';
import type { ProcessTable, TrackedProcess } from './process-table.js';

export interface LongRunningSettings {
  /** The process must still be running this long after it started for the start to succeed. */
  settleMs: number;
  /** Between SIGTERM and SIGKILL when a stop or start command times out. */
  killGraceMs: number;
  /** How long to wait for a group to disappear after SIGKILL. */
  killWaitMs: number;
}

/** A long-running process this agent started, or found through its pid file after a restart. */
interface RunningProcess {
  pid: number;
  pgid: number;
  startTime: string;
  /** Set when this agent started it (so its exit status is known). */
  child?: ProcessGroup;
  tail: OutputTail;
  /** Set once the agent itself ends the process, so its exit is not logged as a failure. */
  ending?: boolean;
}

export class LongRunningExec {
  private readonly running = new Map<string, RunningProcess>();

  constructor(
    private readonly processes: ProcessTable,
    private readonly actions: InFlightActions,
    private readonly settings: LongRunningSettings,
  ) {}

  async start(ctx: ResourceContext, params: ExecParams): Promise<ActionResult> {
    let previous: RunningProcess | undefined;
    try {
      previous = this.locate(ctx);
    } catch (error) {
      return {
        ok: false,
        detail: `${(error as Error).message}; stop the process by hand, then remove the file`,
      };
    }
    if (previous !== undefined) {
      if (isLeaderRunning(previous)) return { ok: true, detail: `already running as pid ${previous.pid}` };
      // The main process died but some of its children did not: clear them away before starting anew.
      ctx.logger.warn('resource-leftovers-killed', { ...names(ctx), pgid: previous.pgid });
      if (!(await this.killAndForget(ctx, previous)))
        return { ok: false, detail: `processes of the previous run survive SIGKILL: ${leftovers(previous)}` };
    }
    const output = outputFilePath(ctx.stateDir, ctx.group, ctx.resource.name);
    let child: ProcessGroup;
    try {
      const fd = openOutputFile(output);
      try {
        child = ProcessGroup.spawn(params.start, { env: execEnvironment(ctx, params), outputFd: fd });
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      return { ok: false, detail: `could not start: ${(error as Error).message}` };
    }
    const entry: RunningProcess = {
      pid: child.pid,
      pgid: child.pid,
      startTime: processStartTime(child.pid) ?? '',
      child,
      tail: this.follow(ctx, output, false),
    };
    const outcome = await this.settle(ctx, child);
    if (outcome !== 'running') {
      if (!(await this.killAndForget(ctx, entry))) entry.tail.close();
      const why =
        outcome === 'aborted'
          ? 'was killed (fencing) while starting'
          : `${describeExit(child.exit ?? { code: null, signal: null })} within ${this.settleMs(ctx)} ms of starting`;
      return { ok: false, detail: `start command ${why}${describeLastLines(entry.tail.lastLines())}` };
    }
    try {
      writePidFile(pidFilePath(ctx.stateDir, ctx.group, ctx.resource.name), {
        pid: entry.pid,
        pgid: entry.pgid,
        startTime: entry.startTime,
        command: params.start,
        startedAt: new Date().toISOString(),
        output,
      });
    } catch (error) {
      // Without a pid file a restarted agent could not find the process: do not leave it running.
      if (!(await this.killAndForget(ctx, entry))) entry.tail.close();
      return { ok: false, detail: `could not write the pid file: ${(error as Error).message}` };
    }
    this.remember(ctx, entry);
    void child.exited.then((exit) => {
      if (!entry.ending)
        ctx.logger.warn('resource-process-exited', {
          ...names(ctx),
          pid: entry.pid,
          exit: describeExit(exit),
        });
    });
    return { ok: true, detail: `running as pid ${entry.pid}` };
  }

  async stop(ctx: ResourceContext, params: ExecParams): Promise<ActionResult> {
    const deadline = performance.now() + ctx.timeoutMs;
    let entry: RunningProcess | undefined;
    try {
      entry = this.locate(ctx);
    } catch (error) {
      return {
        ok: false,
        detail: `${(error as Error).message}; stop the process by hand, then remove the file`,
      };
    }
    // A deliberate stop: the pid monitor must not report this exit as a failure.
    this.processes.untrack(ctx.group, ctx.resource.name);
    if (entry !== undefined) entry.ending = true;
    const stopCommand = await runScript(ctx, 'stop', params, this.actions, this.settings);
    if (!stopCommand.ok)
      ctx.logger.warn('resource-stop-command-failed', { ...names(ctx), detail: stopCommand.detail });
    if (entry === undefined) return { ok: true, detail: `not running (${stopCommand.detail})` };
    const result = await terminateGroup(entry.pgid, {
      graceMs: Math.max(0, deadline - performance.now()),
      killWaitMs: this.settings.killWaitMs,
    });
    if (!result.gone)
      return { ok: false, detail: `processes still running after SIGKILL: ${leftovers(entry)}` };
    this.forget(ctx, entry);
    if (!result.escalated) return { ok: true, detail: `stopped pid ${entry.pid}` };
    ctx.logger.warn('resource-stop-escalated', { ...names(ctx), pid: entry.pid, timeoutMs: ctx.timeoutMs });
    return {
      ok: true,
      detail: `stopped pid ${entry.pid} with SIGKILL: it was still running at the ${ctx.timeoutMs} ms stop timeout`,
    };
  }

  probe(ctx: ResourceContext): ProbeResult {
    let entry: RunningProcess | undefined;
    try {
      entry = this.locate(ctx);
    } catch (error) {
      ctx.logger.warn('resource-pid-file-unreadable', { ...names(ctx), error: (error as Error).message });
      return 'unknown';
    }
    if (entry === undefined) return 'offline';
    if (isLeaderRunning(entry)) return 'online';
    // The main process is gone but some of its children are not: neither cleanly on nor off.
    return isGroupRunning(entry.pgid) ? 'unknown' : 'offline';
  }

  async kill(ctx: ResourceContext): Promise<void> {
    let entry: RunningProcess | undefined;
    try {
      entry = this.locate(ctx);
    } catch (error) {
      ctx.logger.error('resource-kill-impossible', { ...names(ctx), error: (error as Error).message });
      return;
    }
    if (entry !== undefined && !(await this.killAndForget(ctx, entry)))
      ctx.logger.error('resource-kill-failed', { ...names(ctx), survivors: leftovers(entry) });
  }

  /** The recorded process of the resource: in memory, or else from its pid file (then adopted). */
  private locate(ctx: ResourceContext): RunningProcess | undefined {
    const known = this.running.get(resourceKey(ctx));
    if (known !== undefined) return known;
    const path = pidFilePath(ctx.stateDir, ctx.group, ctx.resource.name);
    const record = readPidFile(path);
    if (record === undefined) return undefined;
    const found = { pid: record.pid, pgid: record.pgid, startTime: record.startTime };
    if (!isLeaderRunning(found) && !isGroupRunning(found.pgid)) {
      removePidFile(path); // stale: nothing of it is left
      return undefined;
    }
    const entry: RunningProcess = { ...found, tail: this.follow(ctx, record.output, true) };
    ctx.logger.info('resource-process-adopted', { ...names(ctx), pid: entry.pid, pgid: entry.pgid });
    this.remember(ctx, entry);
    return entry;
  }

  private remember(ctx: ResourceContext, entry: RunningProcess): void {
    this.running.set(resourceKey(ctx), entry);
    this.processes.track(ctx.group, ctx.resource.name, tracked(entry));
  }

  private forget(ctx: ResourceContext, entry: RunningProcess): void {
    if (this.running.get(resourceKey(ctx)) === entry) this.running.delete(resourceKey(ctx));
    this.processes.untrack(ctx.group, ctx.resource.name);
    entry.tail.close();
    removePidFile(pidFilePath(ctx.stateDir, ctx.group, ctx.resource.name));
  }

  /** SIGKILL the whole group; forgets it when it is gone. */
  private async killAndForget(ctx: ResourceContext, entry: RunningProcess): Promise<boolean> {
    this.processes.untrack(ctx.group, ctx.resource.name);
    entry.ending = true;
    const gone = await killGroup(entry.pgid, this.settings.killWaitMs);
    if (gone) this.forget(ctx, entry);
    return gone;
  }

  /** Waits out the settle time; fencing (kill) can cut it short. */
  private settle(ctx: ResourceContext, child: ProcessGroup): Promise<'running' | 'exited' | 'aborted'> {
    return this.actions.run(resourceKey(ctx), (abort) => {
      if (abort.aborted) return Promise.resolve('aborted' as const);
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish('running'), this.settleMs(ctx));
        const onAbort = () => {
          child.signal('SIGKILL');
          finish('aborted');
        };
        const finish = (outcome: 'running' | 'exited' | 'aborted') => {
          clearTimeout(timer);
          abort.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        abort.addEventListener('abort', onAbort, { once: true });
        void child.exited.then(() => finish('exited'));
      });
    });
  }

  private settleMs(ctx: ResourceContext): number {
    return Math.min(this.settings.settleMs, ctx.timeoutMs);
  }

  private follow(ctx: ResourceContext, path: string, fromEnd: boolean): OutputTail {
    return new OutputTail(
      path,
      (line) => ctx.logger.info('resource-output', { ...names(ctx), stream: 'output', line }),
      { fromEnd },
    );
  }
}

function tracked(entry: RunningProcess): TrackedProcess {
  const { pid, pgid, child } = entry;
  return {
    pid,
    pgid,
    isRunning: () => isLeaderRunning(entry),
    exit: () => child?.exit,
    ...(child === undefined ? {} : { exited: child.exited }),
  };
}

function isLeaderRunning(entry: { pid: number; startTime: string; child?: ProcessGroup }): boolean {
  return entry.child?.exit === undefined && isProcessRunning(entry.pid, entry.startTime);
}

function leftovers(entry: RunningProcess): string {
  const pids = groupMembers(entry.pgid);
  return `process group ${entry.pgid}${pids.length > 0 ? ` (pids ${pids.join(' ')})` : ''}`;
}

function names(ctx: ResourceContext): { group: string; resource: string } {
  return { group: ctx.group, resource: ctx.resource.name };
}
