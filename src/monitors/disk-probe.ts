// The disk monitor's probe, run as its own process so that a disk that hangs blocks only this
// process, never the agent (a read stuck in the kernel cannot be interrupted inside the agent).
// Usage: node disk-probe.js PATH read|write SIZE. Prints one JSON line {ok, detail}.
//
// Writes use O_DSYNC: the write returns only once the data is on the device. O_DIRECT (bypassing the
// page cache) needs buffers aligned to the device's block size, and Node cannot allocate aligned
// buffers, so reads may be served from the page cache; the synchronous write is what reaches the disk.
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

function probe(path: string, mode: string, size: number): { ok: boolean; detail: string } {
  if (mode === 'write') {
    // Never create a file where a missing device should be (a typo would fill /dev, a tmpfs).
    if (path.startsWith('/dev/') && !existsSync(path))
      return { ok: false, detail: `${path} does not exist: write checks write a file, never a device` };
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_DSYNC, 0o600);
    const pattern = randomBytes(size);
    try {
      if (!fstatSync(fd).isFile())
        return {
          ok: false,
          detail: `${path} is not a regular file: write checks write a file, never a device`,
        };
      writeSync(fd, pattern, 0, size, 0);
    } finally {
      closeSync(fd);
    }
    const back = readAt(path, size);
    if (!back.equals(pattern))
      return { ok: false, detail: `${path}: the bytes read back differ from those written` };
    return { ok: true, detail: `wrote and read back ${size} bytes of ${path}` };
  }
  const data = readAt(path, size);
  return { ok: true, detail: `read ${data.length} bytes of ${path}` };
}

function readAt(path: string, size: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const buffer = Buffer.alloc(size);
    const read = readSync(fd, buffer, 0, size, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const [path = '', mode = 'read', size = '4096'] = process.argv.slice(2);
let outcome: { ok: boolean; detail: string };
try {
  outcome = probe(path, mode, Number(size));
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  const hint =
    e.code === 'ENOENT' ? ' (no such file or device: check the path and that the disk is attached)' : '';
  outcome = { ok: false, detail: `${mode} of ${path} failed: ${e.code ?? e.message}${hint}` };
}
process.stdout.write(`${JSON.stringify(outcome)}\n`);
