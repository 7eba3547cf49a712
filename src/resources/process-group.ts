// Commands run through /bin/sh in a process group of their own, so that a timeout, a stop or fencing
// reaches everything the command started (its children and grandchildren), not just the shell.
import { spawn } from 'node:child_process';
import { isGroupRunning } from './proc.js';
import { LineSplitter, RecentLines } from './lines.js';
import { waitUntil } from './wait.js';

export type OutputStream = 'stdout' | 'stderr';
export type OutputHandler = (stream: OutputStream, line: string) => void;

export interface ProcessExit {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Each line of stdout and stderr (when they are pipes). */
  onLine?: OutputHandler;
  /**
   * Send stdout and stderr to this open file instead of pipes to the agent: a process that must
   * outlive an agent restart would otherwise die of SIGPIPE at its next write.
   */
  outputFd?: number;
}

/** After the shell exits, how long to keep collecting output that is still in the pipes. */
const OUTPUT_DRAIN_MS = 200;

/** One command started by `/bin/sh -c` as the leader of a new process group (pgid = pid). */
export class ProcessGroup {
  /** Settles when the leader has exited and its output has been read. */
  readonly exited: Promise<ProcessExit>;
  private exitStatus: ProcessExit | undefined;

  private constructor(
    readonly pid: number,
    exited: Promise<ProcessExit>,
    private readonly recent: RecentLines,
  ) {
    this.exited = exited.then((exit) => (this.exitStatus = exit));
  }

  /** Starts `command`; throws when the shell cannot be started at all. */
  static spawn(command: string, options: SpawnOptions = {}): ProcessGroup {
    const output = options.outputFd ?? 'pipe';
    const child = spawn('/bin/sh', ['-c', command], {
      detached: true, // setsid(): a new session and process group led by the shell
      env: options.env ?? process.env,
      stdio: ['ignore', output, output],
    });
    const pid = child.pid;
    if (pid === undefined) {
      // spawn failed; node reports why through a later 'error' event only.
      child.on('error', () => {});
      throw new Error('could not start /bin/sh (is it installed and executable?)');
    }
    child.on('error', () => {}); // only about signalling through `child`, which is not used
    const recent = new RecentLines(10);
    const streams: [OutputStream, NodeJS.ReadableStream | null][] = [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ];
    for (const [name, stream] of streams) {
      if (stream === null) continue;
      const splitter = new LineSplitter((line) => {
        recent.add(line);
        options.onLine?.(name, line);
      });
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream.on('end', () => splitter.end());
    }
    const exited = new Promise<ProcessExit>((resolve) => {
      child.on('exit', (code, signal) => {
        const exit = { code, signal };
        // A process left in the background may keep the pipes open; do not wait for it.
        const drained = setTimeout(() => resolve(exit), OUTPUT_DRAIN_MS);
        child.on('close', () => {
          clearTimeout(drained);
          resolve(exit);
        });
      });
    });
    return new ProcessGroup(pid, exited, recent);
  }

  /** The leader's exit, once it has exited. */
  get exit(): ProcessExit | undefined {
    return this.exitStatus;
  }

  /** The last lines of output (pipes only). */
  lastLines(): string[] {
    return this.recent.list();
  }

  signal(signal: NodeJS.Signals): boolean {
    return signalGroup(this.pid, signal);
  }
}

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface TerminateOptions {
  /** How long the group has to exit after SIGTERM before it gets SIGKILL. */
  graceMs: number;
  /** How long to wait for the group to disappear after SIGKILL. */
  killWaitMs: number;
}

export interface TerminateResult {
  /** No process of the group is left. */
  gone: boolean;
  /** SIGTERM was not enough; SIGKILL was sent. */
  escalated: boolean;
}

/** SIGTERM the group, SIGKILL it if it is still there after the grace time, and wait until it is gone. */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<TerminateResult> {
  const gone = () => !isGroupRunning(pgid);
  if (gone()) return { gone: true, escalated: false };
  signalGroup(pgid, 'SIGTERM');
  signalGroup(pgid, 'SIGCONT'); // a stopped process would not act on SIGTERM until continued
  if (await waitUntil(gone, options.graceMs)) return { gone: true, escalated: false };
  return killGroup(pgid, options.killWaitMs).then((dead) => ({ gone: dead, escalated: true }));
}

/** SIGKILL the group and wait until it is gone; false if something survives (e.g. stuck in the kernel). */
export async function killGroup(pgid: number, waitMs: number): Promise<boolean> {
  signalGroup(pgid, 'SIGKILL');
  return waitUntil(() => !isGroupRunning(pgid), waitMs);
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  onLine?: OutputHandler;
  /** After this long the whole group is terminated (SIGTERM, then SIGKILL after `graceMs`). */
  timeoutMs: number;
  graceMs: number;
  /** Aborting kills the whole group at once (SIGKILL). */
  abort?: AbortSignal;
}

export interface CommandResult extends ProcessExit {
  pid?: number;
  timeoutMs: number;
  timedOut: boolean;
  aborted: boolean;
  /** Why the command could not be started at all. */
  error?: string;
  lastLines: string[];
  durationMs: number;
}

/** How long to wait for a killed group to disappear before giving up on it. */
const KILL_WAIT_MS = 5000;

/**
 * Runs `command` to completion. On timeout or abort the whole group is killed and waited for; when it
 * exits by itself, processes it deliberately left in the background are left alone (a start script
 * may launch a daemon).
 */
export async function runCommand(command: string, options: RunOptions): Promise<CommandResult> {
  const began = performance.now();
  if (options.abort?.aborted)
    return finishRun(began, options, { aborted: true, error: 'not started: aborted' });
  let group: ProcessGroup;
  try {
    group = ProcessGroup.spawn(command, { env: options.env, onLine: options.onLine });
  } catch (error) {
    return finishRun(began, options, { error: (error as Error).message });
  }
  return superviseRun(
    { pid: Promise.resolve(group.pid), exited: group.exited, lastLines: () => group.lastLines() },
    options,
    began,
  );
}

/** A process group started elsewhere (here, or by the script spawner), watched by superviseRun. */
export interface GroupRun {
  /** The leader's pid (= pgid) once it runs; undefined when it never started. */
  pid: Promise<number | undefined>;
  /** Settles when the leader has exited and its output has been read; `error` when that is unknown. */
  exited: Promise<ProcessExit & { error?: string }>;
  lastLines(): string[];
}

/** The timeout and abort handling of runCommand, for a group that is already starting. */
export async function superviseRun(
  run: GroupRun,
  options: Pick<RunOptions, 'timeoutMs' | 'graceMs' | 'abort'>,
  began: number,
): Promise<CommandResult> {
  let timedOut = false;
  let aborted = false;
  let stopping: Promise<unknown> = Promise.resolve();
  // The pid may not be known yet: the group is stopped as soon as it is.
  const stop = (how: (pgid: number) => Promise<unknown>) =>
    (stopping = run.pid.then((pgid) => (pgid === undefined ? undefined : how(pgid))));
  const timer = setTimeout(() => {
    timedOut = true;
    stop((pgid) => terminateGroup(pgid, { graceMs: options.graceMs, killWaitMs: KILL_WAIT_MS }));
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop((pgid) => killGroup(pgid, KILL_WAIT_MS));
  };
  if (options.abort?.aborted) onAbort();
  else options.abort?.addEventListener('abort', onAbort, { once: true });
  const exit = await run.exited;
  clearTimeout(timer);
  options.abort?.removeEventListener('abort', onAbort);
  await stopping;
  const pid = await run.pid;
  const started = pid === undefined ? {} : { pid };
  return finishRun(began, options, { ...exit, ...started, timedOut, aborted, lastLines: run.lastLines() });
}

function finishRun(
  began: number,
  options: Pick<RunOptions, 'timeoutMs'>,
  fields: Partial<CommandResult>,
): CommandResult {
  return {
    code: null,
    signal: null,
    timeoutMs: options.timeoutMs,
    timedOut: false,
    aborted: false,
    lastLines: [],
    durationMs: Math.round(performance.now() - began),
    ...fields,
  };
}

/** "exited with code 3", "was killed by SIGKILL", "timed out after 5000 ms", … */
export function describeExit(result: ProcessExit & Partial<CommandResult>): string {
  if (result.error !== undefined) return result.error;
  if (result.timedOut) return `timed out after ${result.timeoutMs} ms (its process group was killed)`;
  if (result.aborted) return 'was killed (fencing)';
  if (result.code !== null) return `exited with code ${result.code}`;
  return `was killed by ${result.signal ?? 'a signal'}`;
}
