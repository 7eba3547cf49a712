// Runs one program with an argument list (no shell word splitting) through the same process-group
// machinery as exec commands, so timeouts, aborts and fencing reach everything it started. Drivers
// that call system tools (mount, fsck, OCF agents, init scripts) use it and keep the whole output.
import { describeLastLines } from './lines.js';
import { describeExit, runCommand, type CommandResult } from './process-group.js';

export interface ProgramOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL when the program times out (default 2000 ms). */
  graceMs?: number;
  abort?: AbortSignal;
  /** Called with every output line, e.g. to log it. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface ProgramResult extends CommandResult {
  /** Every stdout line, in order (bounded by the line splitter's line length). */
  stdout: string[];
}

/** Quotes one word for /bin/sh: single quotes, with embedded single quotes closed and escaped. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Runs `argv[0]` with the rest as its arguments; never throws. */
export async function runProgram(argv: string[], options: ProgramOptions): Promise<ProgramResult> {
  const stdout: string[] = [];
  const result = await runCommand(`exec ${argv.map(shellWord).join(' ')}`, {
    env: options.env,
    timeoutMs: Math.max(1, options.timeoutMs),
    graceMs: options.graceMs ?? 2000,
    abort: options.abort,
    onLine: (stream, line) => {
      if (stream === 'stdout' && stdout.length < 100_000) stdout.push(line);
      options.onLine?.(stream, line);
    },
  });
  return { ...result, stdout };
}

/** "mount exited with code 32 (last output: …)": the program's name, how it ended and its last lines. */
export function describeProgram(name: string, result: ProgramResult): string {
  return `${name} ${describeExit(result)}${describeLastLines(result.lastLines)}`;
}

/** True when the program ran to completion by itself (not timed out, aborted or unstartable). */
export function completed(result: ProgramResult): result is ProgramResult & { code: number } {
  return result.code !== null && !result.timedOut && !result.aborted && result.error === undefined;
}
