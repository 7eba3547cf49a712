// A long-running process writes its output to a file rather than a pipe to the agent: the process
// must survive an agent restart, and with a pipe it would die of SIGPIPE at its next write. The agent
// follows the file like `tail -f` and logs each new line.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineSplitter, RecentLines } from './lines.js';

/** Opens the output file for a new process, emptied; pass the fd to spawn, then close it. */
export function openOutputFile(path: string): number {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  // Append mode: when the tail empties the file, the process's next write lands at the start, not
  // at its old offset behind a hole.
  const fd = openSync(path, 'a', 0o640);
  ftruncateSync(fd, 0);
  return fd;
}

export interface TailOptions {
  /** Skip what the file already holds (after an agent restart it has been logged before). */
  fromEnd: boolean;
  pollMs?: number;
  /** Once everything is read and the file is larger than this, it is emptied. */
  maxBytes?: number;
}

const CHUNK_BYTES = 64 * 1024;
/** Read at most this much per poll, so a flood of output cannot stall the agent. */
const MAX_BYTES_PER_POLL = 1024 * 1024;

export class OutputTail {
  private fd: number | undefined;
  private position = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly splitter: LineSplitter;
  private readonly recent = new RecentLines(10);
  private readonly maxBytes: number;

  constructor(path: string, onLine: (line: string) => void, options: TailOptions) {
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.splitter = new LineSplitter((line) => {
      this.recent.add(line);
      onLine(line);
    });
    try {
      this.fd = openSync(path, 'r+');
      if (options.fromEnd) this.position = fstatSync(this.fd).size;
    } catch {
      this.fd = undefined; // no file (e.g. removed by hand): nothing to follow
    }
    this.timer = setInterval(() => this.readNow(), options.pollMs ?? 200);
    this.timer.unref();
  }

  /** Reads and passes on whatever is new now. */
  readNow(): void {
    if (this.fd === undefined) return;
    try {
      const size = fstatSync(this.fd).size;
      if (size < this.position) this.position = 0; // emptied by someone else
      if (size - this.position > this.maxBytes) {
        this.splitter.push(Buffer.from(`\n[vigil: skipped ${size - this.position} bytes of output]\n`));
        this.position = size;
      }
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const stop = Math.min(size, this.position + MAX_BYTES_PER_POLL);
      while (this.position < stop) {
        const read = readSync(this.fd, buffer, 0, Math.min(CHUNK_BYTES, stop - this.position), this.position);
        if (read === 0) break;
        this.position += read;
        this.splitter.push(buffer.subarray(0, read));
      }
      if (this.position === size && size > this.maxBytes) {
        ftruncateSync(this.fd, 0);
        this.position = 0;
      }
    } catch {
      // The file went away or cannot be read: lines are lost, the process is not affected.
    }
  }

  lastLines(): string[] {
    return this.recent.list();
  }

  /** Reads what is left and stops following. */
  close(): void {
    this.readNow();
    this.splitter.end();
    clearInterval(this.timer);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
