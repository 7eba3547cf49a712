// CPU time and resident memory of a process, from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture node runs on

/** Fields 3… of /proc/PID/stat: those after the command name (which may hold spaces and ')'). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** User + system CPU seconds of the process's children that have exited and been waited for. */
export function reapedChildrenCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/** The pids of the running children of `pid`. */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^[0-9]+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        return Number(statFields(child)[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    });
}

/** A `NAME:  N kB` field of /proc/PID/status, in MB (NaN when absent). */
function statusMegabytes(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

export function rssMegabytes(pid: number): number {
  return statusMegabytes(pid, 'VmRSS');
}

/** Resident memory split into anonymous (private to the process) and file-backed (mostly shared code). */
export function rssSplitMegabytes(pid: number): { anon: number; file: number } {
  return { anon: statusMegabytes(pid, 'RssAnon'), file: statusMegabytes(pid, 'RssFile') };
}
