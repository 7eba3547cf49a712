// Reading /proc for the process-watching monitors (ps, system).
import { readdir, readFile } from 'node:fs/promises';
import { scriptSpawner } from '../resources/script-spawner.js';

export interface ProcessMatch {
  /** Exact /proc/PID/comm. */
  name?: string;
  /** Tested against the command line, arguments joined by spaces. */
  pattern?: RegExp;
}

/** Pids (ascending) of the processes that match, leaving out this agent itself and its script spawner. */
export async function findProcesses(match: ProcessMatch, signal?: AbortSignal): Promise<number[]> {
  const spawner = scriptSpawner.pid;
  const pids = (await readdir('/proc'))
    .filter((entry) => /^[0-9]+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && pid !== spawner)
    .sort((a, b) => a - b);
  const found: number[] = [];
  for (const pid of pids) {
    signal?.throwIfAborted();
    if (await matches(pid, match)) found.push(pid);
  }
  return found;
}

async function matches(pid: number, match: ProcessMatch): Promise<boolean> {
  try {
    if (match.name !== undefined)
      return (await readFile(`/proc/${pid}/comm`, 'utf8')).replace(/\n$/, '') === match.name;
    // Kernel threads have an empty command line; arguments are NUL-separated.
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8'))
      .replace(/\0+$/, '')
      .replaceAll('\0', ' ');
    return cmdline !== '' && match.pattern !== undefined && match.pattern.test(cmdline);
  } catch {
    return false; // the process exited while we looked
  }
}

/** CPU time used by a process so far (user + system), in clock ticks; undefined once it has gone. */
export async function processTicks(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The name (field 2) may contain spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in KiB; undefined once it has gone (or for kernel threads). */
export async function processRssKib(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+([0-9]+) kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Key → value (in kB for sizes) of /proc/meminfo. */
export async function readMeminfo(): Promise<Map<string, number>> {
  const text = await readFile('/proc/meminfo', 'utf8');
  const entries = text.split('\n').flatMap((line) => {
    const match = /^([A-Za-z0-9_()]+):\s+([0-9]+)/.exec(line);
    return match ? [[match[1] ?? '', Number(match[2])] as const] : [];
  });
  return new Map(entries);
}

/** Busy and total CPU time of the whole machine (all CPUs), in clock ticks, from /proc/stat. */
export async function readCpuTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Linux reports process CPU times in USER_HZ, which is 100 on every architecture Linux supports today. */
export const TICKS_PER_SECOND = 100;
