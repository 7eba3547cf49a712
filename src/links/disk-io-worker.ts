// The DISK link's IO thread. Reads and writes are synchronous here, off the agent's main thread, so
// a disk that hangs (a frozen filesystem, a dead path to a SAN) blocks only this thread; the link on
// the main thread sees the missed deadline and reports the link stalled.
//
// O_DIRECT bypasses the page cache, which a shared disk needs: otherwise a read may return this
// machine's cached copy instead of what the other server wrote. The kernel refuses O_DIRECT IO
// (EINVAL) from a buffer not aligned to the device's DMA alignment, and Node cannot choose where a
// Buffer lives. So the worker allocates one larger buffer and asks the kernel: it tries a one-block
// direct read and write-back of block 0 at each 16-byte step (malloc's alignment) of the first
// 4 KiB and keeps the first offset the kernel accepts; that address never moves for the buffer's life. If no offset works, or
// the file system refuses O_DIRECT at open, IO falls back to O_DSYNC (writes reach the disk before
// they return; reads may come from the cache) and the link reports io "dsync".
import { closeSync, constants, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export type DiskRequest =
  | { id: number; op: 'read'; offset: number; length: number }
  | { id: number; op: 'write'; offset: number; data: Uint8Array }
  | { id: number; op: 'close' };

export type DiskReply =
  | { id: number; ok: true; data?: Uint8Array }
  | { id: number; ok: false; error: string; code?: string }
  | { id: 0; ok: true; opened: { io: 'direct' | 'dsync'; why?: string } };

const BLOCK = 4096;
const ALIGN_STEP = 16;
const { path, maxBytes } = workerData as { path: string; maxBytes: number };

let fd = -1;
let aligned: Buffer | null = null;
let io: 'direct' | 'dsync' = 'dsync';
let why: string | undefined;

function openDirect(): boolean {
  let direct: number;
  try {
    direct = openSync(path, constants.O_RDWR | constants.O_DIRECT | constants.O_DSYNC);
  } catch (error) {
    why = `O_DIRECT refused at open (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    return false;
  }
  const pool = Buffer.allocUnsafeSlow(maxBytes + BLOCK);
  for (let offset = 0; offset < BLOCK; offset += ALIGN_STEP) {
    try {
      // Both directions: a direct read of a hole in a sparse file skips the alignment check, a
      // write never does. Writing block 0 back as read leaves it unchanged.
      readSync(direct, pool, offset, BLOCK, 0);
      writeSync(direct, pool, offset, BLOCK, 0);
      fd = direct;
      aligned = pool.subarray(offset, offset + maxBytes);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') {
        why = `O_DIRECT read failed (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
        break;
      }
    }
  }
  why ??= 'no buffer alignment accepted for O_DIRECT';
  closeSync(direct);
  return false;
}

function open(): void {
  // An empty regular file is made the full size first: a direct read past the end would "succeed"
  // without the kernel checking the alignment, and the header read needs a block to read.
  const stat = statSync(path);
  if (stat.isFile() && stat.size === 0) truncateSync(path, maxBytes);
  if (openDirect()) {
    io = 'direct';
    return;
  }
  fd = openSync(path, constants.O_RDWR | constants.O_DSYNC);
  io = 'dsync';
}

function handle(request: DiskRequest): DiskReply {
  if (request.op === 'close') {
    if (fd >= 0) closeSync(fd);
    fd = -1;
    return { id: request.id, ok: true };
  }
  if (request.op === 'read') {
    const length = request.length;
    if (aligned && length <= aligned.length) {
      const got = readSync(fd, aligned, 0, length, request.offset);
      return { id: request.id, ok: true, data: Uint8Array.prototype.slice.call(aligned, 0, got) };
    }
    const buffer = Buffer.alloc(length);
    const got = readSync(fd, buffer, 0, length, request.offset);
    return { id: request.id, ok: true, data: buffer.subarray(0, got) };
  }
  const data = Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength);
  if (aligned && data.length <= aligned.length) {
    data.copy(aligned, 0);
    writeSync(fd, aligned, 0, data.length, request.offset);
  } else writeSync(fd, data, 0, data.length, request.offset);
  return { id: request.id, ok: true };
}

try {
  open();
  parentPort?.postMessage({ id: 0, ok: true, opened: { io, ...(why ? { why } : {}) } } satisfies DiskReply);
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  parentPort?.postMessage({
    id: 0,
    ok: false,
    error: e.message,
    ...(e.code ? { code: e.code } : {}),
  } satisfies DiskReply);
}

parentPort?.on('message', (request: DiskRequest) => {
  let reply: DiskReply;
  try {
    if (fd < 0 && request.op !== 'close') throw new Error(`${path} is not open`);
    reply = handle(request);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    reply = { id: request.id, ok: false, error: e.message, ...(e.code ? { code: e.code } : {}) };
  }
  parentPort?.postMessage(reply);
});
