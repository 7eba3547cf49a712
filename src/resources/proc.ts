// What the kernel says about a process or a process group, read from /proc (Linux). A zombie counts
// as gone: it has exited, and where PID 1 does not reap orphans it would otherwise look alive forever.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** R, S, D, Z, T, … (see proc(5)). */
  state: string;
  ppid: number;
  pgid: number;
  /** Clock ticks after boot when the process started; with the pid it names one process for good. */
  startTime: string;
}

/** /proc/PID/stat, or undefined when there is no such process. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: fields[19] ?? '',
  };
}

const procAvailable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

function isDead(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** The start time of a running process, to record beside its pid. */
export function processStartTime(pid: number): string | undefined {
  return readProcStat(pid)?.startTime;
}

/**
 * Whether `pid` is a running (not zombie) process; with `startTime`, also that it is the same process
 * that was recorded and not a later one that reused the pid.
 */
export function isProcessRunning(pid: number, startTime?: string): boolean {
  if (!procAvailable) return signalZero(pid);
  const stat = readProcStat(pid);
  if (stat === undefined || isDead(stat.state)) return false;
  return startTime === undefined || startTime === '' || stat.startTime === startTime;
}

/** Whether any process of group `pgid` is still running (zombies do not count). */
export function isGroupRunning(pgid: number): boolean {
  if (!signalZero(-pgid)) return false;
  if (!procAvailable) return true;
  return groupMembers(pgid).length > 0;
}

/** The running (not zombie) processes of group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat !== undefined && stat.pgid === pgid && !isDead(stat.state)) members.push(stat.pid);
  }
  return members;
}

/** kill(target, 0): true when the process (or, negative, the group) exists and may be signalled. */
function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still "exists".
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
