// Runs short commands (the checks of `custom` monitors) through the script spawner, a small helper
// process (spawner-process.ts), instead of from the agent itself. Node starts a child with fork and
// then blocks its only thread until the child has exec'd; in a big agent that is several ms per
// start, so hundreds of checks a second would stall every other timer. The spawner pays that instead.
//
// Semantics are those of runCommand: /bin/sh -c in a new session (pgid = pid), the timeout SIGTERMs
// the group and SIGKILLs it after the grace time, an abort SIGKILLs it, the exit code or signal and
// the last output lines come back. The agent signals the groups itself; the spawner only starts them
// and reports their exit. Groups never outlive the agent: the spawner kills those still running when
// its stdin ends (the agent exited or was killed), and a group still running GUARD_AFTER_MS after its
// start is also given to the dead-man reaper (most checks end long before: guarding each one would
// cost two more writes per check, for a kill -9 of agent and spawner together in those moments).
// When the spawner dies, the checks it was running fail with a detail that says so, their groups
// are killed, and the next command starts a new spawner.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../agent/logger.js';
import { LineSplitter, RecentLines } from './lines.js';
import {
  describeExit,
  killGroup,
  runCommand,
  superviseRun,
  type CommandResult,
  type ProcessExit,
  type RunOptions,
} from './process-group.js';
import type { GroupGuard } from './process-table.js';
import type { RunRequest, SpawnerAnswer } from './spawner-protocol.js';

const HELPER = fileURLToPath(new URL('./spawner-process.js', import.meta.url));
/** After the spawner died, the next is started no sooner than this; meanwhile the agent runs commands itself. */
const RESTART_AFTER_MS = 1000;
/** How long to wait for the group of a check whose spawner died to disappear. */
const KILL_WAIT_MS = 5000;
/**
 * A command's answer is this late after its timeout, grace and kill wait: the spawner is stuck
 * (stopped, or its loop wedged) and is replaced, so that no check waits for it for ever.
 */
const STUCK_AFTER_MS = KILL_WAIT_MS + 1000;
/** A command still running this long is given to the dead-man reaper. */
const GUARD_AFTER_MS = 250;
/** How often running commands are looked at while there are any (guarding, the stuck deadline). */
const SWEEP_MS = 250;

export interface SpawnerRunOptions extends Pick<RunOptions, 'timeoutMs' | 'graceMs' | 'abort'> {
  /** Added to the agent's environment (which the spawner inherits). */
  env?: Record<string, string>;
}

interface Pending {
  pid?: number;
  /** performance.now() at the request, and when the spawner counts as stuck without an answer. */
  began: number;
  stuckAt: number;
  /** Given to the dead-man reaper (see GUARD_AFTER_MS). */
  guarded: boolean;
  lines: string[];
  started(pid: number | undefined): void;
  ended(exit: ProcessExit & { error?: string }): void;
}

export interface ScriptSpawnerOptions {
  /** Keeps the groups from outliving the agent even if the spawner dies with it (the dead-man reaper). */
  guard?: GroupGuard;
  /** The helper's script (tests). */
  helper?: string;
  /** Overrides STUCK_AFTER_MS (tests). */
  stuckAfterMs?: number;
}

export class ScriptSpawner {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private diedAt = -Infinity;
  private closed = false;
  private guard: GroupGuard | undefined;
  /** Why the running spawner was killed by us, if it was. */
  private stuck: string | undefined;
  /** Runs sweep() while commands are pending. */
  private sweeper: NodeJS.Timeout | undefined;
  private logger: Logger | undefined;

  constructor(private readonly options: ScriptSpawnerOptions = {}) {
    this.guard = options.guard;
  }

  /** The running spawner's pid, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sets the dead-man guard (the shared spawner exists before the agent has made its reaper). */
  setGuard(guard: GroupGuard): void {
    this.guard = guard;
  }

  /** Where the spawner's death or replacement is told (the agent's log). */
  setLogger(logger: Logger): void {
    this.logger = logger;
  }

  /** Runs `command` to completion like runCommand; never throws. */
  async run(command: string, options: SpawnerRunOptions): Promise<CommandResult> {
    const child = options.abort?.aborted ? undefined : this.started();
    if (child === undefined) {
      // Aborted already, stopping, or the spawner is restarting: the agent runs the command itself.
      return runCommand(command, { ...options, env: { ...process.env, ...options.env } });
    }
    const began = performance.now();
    const id = this.nextId++;
    const stuckAt =
      began + options.timeoutMs + options.graceMs + (this.options.stuckAfterMs ?? STUCK_AFTER_MS);
    const pending: Partial<Pending> & { lines: string[] } = { lines: [], began, stuckAt, guarded: false };
    const pid = new Promise<number | undefined>((resolve) => (pending.started = resolve));
    const exited = new Promise<ProcessExit & { error?: string }>((resolve) => (pending.ended = resolve));
    this.pending.set(id, pending as Pending);
    this.holdAgent();
    const request: RunRequest = { id, command, ...(options.env ? { env: options.env } : {}) };
    child.stdin?.write(`${JSON.stringify(request)}\n`);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    return superviseRun({ pid, exited, lastLines: () => pending.lines }, options, began);
  }

  /** An orderly stop: the spawner kills what still runs and exits; later commands run in the agent. */
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
  }

  /** The running spawner, a new one, or undefined when none may be started now. */
  private started(): ChildProcess | undefined {
    if (this.child !== undefined) return this.child;
    if (this.closed || performance.now() - this.diedAt < RESTART_AFTER_MS) return undefined;
    const child = spawn(process.execPath, [this.options.helper ?? HELPER], {
      detached: true, // a session of its own: a terminal's ^C must not kill it before the agent
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      child.on('error', () => undefined);
      this.diedAt = performance.now();
      return undefined;
    }
    this.child = child;
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined); // EPIPE when it died; 'close' below tells the checks
    const answers = new LineSplitter((line) => this.answer(line));
    child.stdout?.on('data', (chunk: Buffer) => answers.push(chunk));
    const stderr = new RecentLines(3);
    const errors = new LineSplitter((line) => stderr.add(line));
    child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('close', (code, signal) => this.died(child, { code, signal }, stderr.list()));
    this.holdAgent();
    return child;
  }

  private answer(line: string): void {
    let message: SpawnerAnswer;
    try {
      message = JSON.parse(line) as SpawnerAnswer;
    } catch {
      return; // not from our helper; it never writes anything else
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    if ('exit' in message) {
      this.pending.delete(message.id);
      pending.lines = message.lines;
      if (pending.guarded && pending.pid !== undefined) this.guard?.release(pending.pid);
      pending.ended(message.exit);
    } else if ('pid' in message) {
      pending.pid = message.pid;
      pending.started(message.pid);
    } else {
      this.pending.delete(message.id);
      pending.started(undefined);
      pending.ended({ code: null, signal: null, error: message.error });
    }
    this.holdAgent();
  }

  /** Guards the commands that have run a while, and replaces a spawner past a command's stuck time. */
  private sweep(): void {
    const now = performance.now();
    if (this.pending.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      return;
    }
    let stuck: Pending | undefined;
    for (const pending of this.pending.values()) {
      if (!pending.guarded && pending.pid !== undefined && now - pending.began >= GUARD_AFTER_MS) {
        pending.guarded = true;
        this.guard?.guard(pending.pid);
      }
      if (now >= pending.stuckAt) stuck ??= pending;
    }
    if (stuck !== undefined && this.child !== undefined && this.stuck === undefined)
      this.replace(this.child, `did not answer within ${Math.round(now - stuck.began)} ms`);
  }

  /** Kills a spawner that stopped answering; its 'close' fails the checks it had. */
  private replace(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.stuck = why;
    child.kill('SIGKILL');
  }

  /** The spawner is gone: fail its checks, after killing their groups (nobody would report their exit). */
  private died(child: ChildProcess, exit: ProcessExit, stderr: string[]): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.diedAt = performance.now();
    const last = stderr.filter((line) => line.trim() !== '').pop();
    const how = this.stuck === undefined ? describeExit(exit) : `${this.stuck} and was killed`;
    this.stuck = undefined;
    const why = `the script spawner (pid ${child.pid}) ${how}${last ? ` (${last.trim()})` : ''}`;
    const orphans = [...this.pending.values()];
    this.pending.clear();
    if (!this.closed)
      this.logger?.warn('script-spawner-died', { pid: child.pid, why, checks: orphans.length });
    for (const pending of orphans) {
      pending.started(pending.pid);
      const pid = pending.pid;
      if (pid === undefined) {
        pending.ended({ code: null, signal: null, error: `was not started: ${why}` });
        continue;
      }
      void killGroup(pid, KILL_WAIT_MS).then(() => {
        if (pending.guarded) this.guard?.release(pid);
        const error = `was killed with its process group because ${why}`;
        pending.ended({ code: null, signal: null, error });
      });
    }
  }

  /** Keeps the agent's event loop alive only while commands run (an idle spawner must not). */
  private holdAgent(): void {
    const child = this.child;
    if (child === undefined) return;
    const busy = this.pending.size > 0;
    for (const handle of [child, child.stdout, child.stderr, child.stdin] as ({
      ref?: () => void;
      unref?: () => void;
    } | null)[]) {
      if (busy && handle !== child.stdin) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

/** The agent's spawner, started at the first command. */
export const scriptSpawner = new ScriptSpawner();
