// Where a long-running process is recorded, so that an agent restarted after a crash can find it
// again (probe) and stop it. Written atomically: a torn pid file would lose track of the process.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export interface PidRecord {
  pid: number;
  /** Process group id; the leader's pid, but kept apart so a reader need not know that. */
  pgid: number;
  /** From /proc/PID/stat; tells our process from a later one that reused the pid. */
  startTime: string;
  command: string;
  startedAt: string;
  /** The file the process writes its output to. */
  output: string;
}

/** `STATE/pids/GROUP/RESOURCE.json`: names cannot contain "/" or start with ".", so this is safe. */
export function pidFilePath(stateDir: string, group: string, resource: string): string {
  return join(stateDir, 'pids', group, `${resource}.json`);
}

export function outputFilePath(stateDir: string, group: string, resource: string): string {
  return join(stateDir, 'output', group, `${resource}.log`);
}

export function writePidFile(path: string, record: PidRecord): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w', 0o640);
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** The record, undefined when there is none; throws when the file exists but is not a pid record. */
export function readPidFile(path: string): PidRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`pid file ${path} is not valid JSON`);
  }
  const record = value as Partial<PidRecord> | null;
  if (!isPid(record?.pid) || !isPid(record?.pgid))
    throw new Error(`pid file ${path} has no valid pid and pgid`);
  return {
    pid: record.pid,
    pgid: record.pgid,
    startTime: String(record.startTime ?? ''),
    command: String(record.command ?? ''),
    startedAt: String(record.startedAt ?? ''),
    output: String(record.output ?? ''),
  };
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 1;
}

function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
