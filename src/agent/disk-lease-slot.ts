// The disk partition method's lease device: the DISK link's header format (disk-layout.ts) with
// 4 KiB slots, one per server by its position in `servers:`. A slot says what its server is doing
// with the lease and a counter the server advances on every write, so the others can tell a live
// holder (its counter moves) from a dead one (it stopped moving).
//
//   slot i:  "VGLE" | state u8 | counter u32 high | counter u32 low | name length u16 | name |
//            ... | CRC-32 of bytes 0-4091
import { crc32 } from 'node:zlib';
import { DISK_BLOCK } from '../links/disk-layout.js';

export const LEASE_SLOT_SIZE = DISK_BLOCK;
export const LEASE_SLOT_COUNT = 16;
const MAGIC = Buffer.from('VGLE', 'ascii');
const CRC_AT = DISK_BLOCK - 4;

/** idle: never asked; intent: asking for a free lease; held: holds it; released: gave it back. */
export type LeaseState = 'idle' | 'intent' | 'held' | 'released';
const STATES: LeaseState[] = ['idle', 'intent', 'held', 'released'];

export interface LeaseSlot {
  state: LeaseState;
  counter: number;
  server: string;
}

export function encodeLeaseSlot(slot: LeaseSlot): Buffer {
  const block = Buffer.alloc(LEASE_SLOT_SIZE);
  MAGIC.copy(block, 0);
  block.writeUInt8(STATES.indexOf(slot.state), 4);
  block.writeUInt32BE(Math.floor(slot.counter / 2 ** 32), 5);
  block.writeUInt32BE(slot.counter % 2 ** 32, 9);
  const name = Buffer.from(slot.server, 'utf8');
  block.writeUInt16BE(name.length, 13);
  name.copy(block, 15);
  block.writeUInt32BE(crc32(block.subarray(0, CRC_AT)) >>> 0, CRC_AT);
  return block;
}

/** The slot's contents; a slot never written (all zeros) is idle; anything else invalid is null. */
export function decodeLeaseSlot(block: Buffer): LeaseSlot | null {
  if (block.length < LEASE_SLOT_SIZE) return null;
  if (block.subarray(0, LEASE_SLOT_SIZE).every((byte) => byte === 0))
    return { state: 'idle', counter: 0, server: '' };
  if (!block.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  if (crc32(block.subarray(0, CRC_AT)) >>> 0 !== block.readUInt32BE(CRC_AT)) return null;
  const state = STATES[block.readUInt8(4)];
  if (!state) return null;
  return {
    state,
    counter: block.readUInt32BE(5) * 2 ** 32 + block.readUInt32BE(9),
    server: block.subarray(15, 15 + block.readUInt16BE(13)).toString('utf8'),
  };
}
