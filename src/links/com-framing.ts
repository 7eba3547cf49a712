// Framing of heartbeat frames on a serial line, which is a byte stream with no message boundaries
// and no error detection of its own:
//
//   bytes 0-2   "VGC" (vigil COM)      bytes 3-4   length N of the frame, big-endian
//   bytes 5-    the N-byte heartbeat frame of frame.ts (itself "VGH" + HMAC + payload)
//   last 4      CRC-32 of bytes 0 .. 4+N, big-endian
//
// The CRC catches line noise cheaply; the HMAC inside still decides what is authentic. After a bad
// CRC or bytes that are not a frame, the reader skips to the next "VGC" and carries on, so one
// glitch costs one heartbeat, never the stream.
import { crc32 } from 'node:zlib';

export const COM_MAGIC = Buffer.from('VGC', 'ascii');
const LENGTH_BYTES = 2;
const CRC_BYTES = 4;
const HEADER_BYTES = COM_MAGIC.length + LENGTH_BYTES;
export const COM_OVERHEAD_BYTES = HEADER_BYTES + CRC_BYTES;
/** Longest heartbeat frame a COM link carries; longer ones could not cross a slow line in time anyway. */
export const COM_MAX_FRAME_BYTES = 16_384;

export function encodeComFrame(frame: Buffer): Buffer {
  if (frame.length > COM_MAX_FRAME_BYTES)
    throw new Error(
      `heartbeat frame of ${frame.length} bytes exceeds the COM limit of ${COM_MAX_FRAME_BYTES}`,
    );
  const header = Buffer.alloc(HEADER_BYTES);
  COM_MAGIC.copy(header, 0);
  header.writeUInt16BE(frame.length, COM_MAGIC.length);
  const crc = Buffer.alloc(CRC_BYTES);
  crc.writeUInt32BE(crc32(frame, crc32(header)) >>> 0, 0);
  return Buffer.concat([header, frame, crc]);
}

export type ComReadEvent =
  | { kind: 'frame'; frame: Buffer }
  /** A complete frame whose CRC did not match: skipped. */
  | { kind: 'crc-error' }
  /** Bytes skipped while looking for the next magic. */
  | { kind: 'garbage'; bytes: number };

/** Splits a byte stream into frames; keeps at most one partial frame between calls. */
export class ComDeframer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ComReadEvent[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const events: ComReadEvent[] = [];
    // Every pass consumes at least one byte or stops: bounded by the input size.
    while (this.pending.length > 0) {
      const start = this.findMagic();
      if (start !== 0) {
        events.push({ kind: 'garbage', bytes: start });
        this.pending = this.pending.subarray(start);
        if (this.pending.length === 0) break;
      }
      if (this.pending.length < HEADER_BYTES) break;
      const length = this.pending.readUInt16BE(COM_MAGIC.length);
      if (length > COM_MAX_FRAME_BYTES) {
        // Not a real header: a "VGC" inside noise. Skip one byte and look again.
        events.push({ kind: 'garbage', bytes: 1 });
        this.pending = this.pending.subarray(1);
        continue;
      }
      const total = HEADER_BYTES + length + CRC_BYTES;
      if (this.pending.length < total) break;
      const body = this.pending.subarray(0, HEADER_BYTES + length);
      const expected = this.pending.readUInt32BE(HEADER_BYTES + length);
      if (crc32(body) >>> 0 === expected) {
        events.push({ kind: 'frame', frame: Buffer.from(body.subarray(HEADER_BYTES)) });
        this.pending = this.pending.subarray(total);
      } else {
        // The length itself may be the corrupted part: resynchronise from the next byte, not past total.
        events.push({ kind: 'crc-error' });
        this.pending = this.pending.subarray(1);
      }
    }
    if (this.pending.length > 0) this.pending = Buffer.from(this.pending); // drop the big parent buffer
    return events;
  }

  /** Index of the first possible magic start; a trailing prefix of the magic counts (it may complete). */
  private findMagic(): number {
    const at = this.pending.indexOf(COM_MAGIC);
    if (at >= 0) return at;
    for (let keep = Math.min(COM_MAGIC.length - 1, this.pending.length); keep > 0; keep--) {
      const tail = this.pending.subarray(this.pending.length - keep);
      if (tail.equals(COM_MAGIC.subarray(0, keep))) return this.pending.length - keep;
    }
    return this.pending.length;
  }

  /** After a reopen the old partial frame is meaningless. */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

/** Milliseconds a frame of `bytes` takes on the line: 10 bits per byte (start, 8 data, stop). */
export function transmitMs(bytes: number, baudRate: number): number {
  return (bytes * 10 * 1000) / baudRate;
}
