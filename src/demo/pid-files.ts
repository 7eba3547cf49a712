// Pid files of the demo's processes, so a stop can find what is left even after a crash. A pid is
// only signalled when /proc shows it still runs the program it was written for (pids get reused).
import { writeFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function writePidFile(file: string, pid: number): Promise<void> {
  await writeFile(file, `${pid}\n`);
}

export function writePidFileSync(file: string, pid: number): void {
  writeFileSync(file, `${pid}\n`);
}

export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is alive and its command line contains `marker`. */
export async function runs(pid: number, marker: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').some((arg) => arg.includes(marker));
  } catch {
    return false;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * SIGTERM, then SIGKILL once `deadlineMs` has passed (at once when it is 0); resolves when the
 * process is gone.
 */
export async function terminate(pid: number, deadlineMs: number): Promise<void> {
  if (!signal(pid, deadlineMs === 0 ? 'SIGKILL' : 'SIGTERM')) return;
  const deadline = Date.now() + deadlineMs;
  while (alive(pid) && Date.now() < deadline) await pause(50);
  if (alive(pid)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (alive(pid) && Date.now() < killDeadline) await pause(20);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stops every process listed by a `*.pid` file in `dir` that still runs a program containing
 * `marker`, and removes the pid files. Returns the pids it stopped.
 */
export async function stopByPidFiles(
  dir: string,
  marker: string,
  deadlineMs: number,
  only: (fileName: string) => boolean = () => true,
): Promise<number[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.pid') && only(name));
  } catch {
    return [];
  }
  const stopped: number[] = [];
  await Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      const pid = await readPidFile(file);
      if (pid !== undefined && (await runs(pid, marker))) {
        await terminate(pid, deadlineMs);
        stopped.push(pid);
      }
      await rm(file, { force: true });
    }),
  );
  return stopped;
}
