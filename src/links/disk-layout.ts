// The DISK link's on-disk layout: a 4 KiB header block, then one fixed-size slot per server (by the
// server's position in the cluster's server list). Every offset and length is a multiple of 4096 so
// the IO can bypass the page cache (O_DIRECT) on any device.
//
//   header (block 0):  "VIGILDSK" | layout version u32 | slot size u32 | slot count u32 |
//                      cluster name length u16 | cluster name (UTF-8) | ... | CRC-32 of bytes 0-4091
//   slot i:            "VGSL" | frame length u32 | heartbeat frame of frame.ts (sender, incarnation,
//                      seq, time, body digest, body, all under the HMAC) | zero padding
//
// A slot holds the same authenticated frame as a LAN datagram; who wrote it is checked against the
// slot's position, so a server cannot write as another even with the key's help from a bug.
import { crc32 } from 'node:zlib';

export const DISK_BLOCK = 4096;
export const DISK_MAGIC = Buffer.from('VIGILDSK', 'ascii');
export const DISK_LAYOUT_VERSION = 1;
/** Room for a full heartbeat frame (frame.ts caps them at 60,000 bytes). */
export const DISK_SLOT_SIZE = 65_536;
/** Slots made at init: room to add servers later without a new init. */
export const DISK_DEFAULT_SLOTS = 16;
const SLOT_MAGIC = Buffer.from('VGSL', 'ascii');
const SLOT_HEADER = SLOT_MAGIC.length + 4;
const CRC_AT = DISK_BLOCK - 4;

export interface DiskHeader {
  version: number;
  slotSize: number;
  slotCount: number;
  cluster: string;
}

export function encodeHeader(header: DiskHeader): Buffer {
  const block = Buffer.alloc(DISK_BLOCK);
  DISK_MAGIC.copy(block, 0);
  block.writeUInt32BE(header.version, 8);
  block.writeUInt32BE(header.slotSize, 12);
  block.writeUInt32BE(header.slotCount, 16);
  const name = Buffer.from(header.cluster, 'utf8');
  block.writeUInt16BE(name.length, 20);
  name.copy(block, 22);
  block.writeUInt32BE(crc32(block.subarray(0, CRC_AT)) >>> 0, CRC_AT);
  return block;
}

export type HeaderReading =
  { kind: 'empty' } | { kind: 'ours'; header: DiskHeader } | { kind: 'foreign'; why: string };

/**
 * Reads block 0. Only an all-zero block counts as empty (safe to initialise); anything else that is
 * not a valid header of this cluster is foreign, and is never overwritten automatically.
 */
export function readHeader(block: Buffer, cluster: string): HeaderReading {
  if (block.length < DISK_BLOCK) return { kind: 'foreign', why: `shorter than ${DISK_BLOCK} bytes` };
  if (block.subarray(0, DISK_BLOCK).every((byte) => byte === 0)) return { kind: 'empty' };
  if (!block.subarray(0, DISK_MAGIC.length).equals(DISK_MAGIC))
    return { kind: 'foreign', why: 'it holds other data (no vigil disk header)' };
  if (crc32(block.subarray(0, CRC_AT)) >>> 0 !== block.readUInt32BE(CRC_AT))
    return { kind: 'foreign', why: 'its vigil header is damaged (CRC mismatch)' };
  const header: DiskHeader = {
    version: block.readUInt32BE(8),
    slotSize: block.readUInt32BE(12),
    slotCount: block.readUInt32BE(16),
    cluster: block.subarray(22, 22 + block.readUInt16BE(20)).toString('utf8'),
  };
  if (header.version !== DISK_LAYOUT_VERSION)
    return {
      kind: 'foreign',
      why: `its layout version is ${header.version}, this vigil reads ${DISK_LAYOUT_VERSION}`,
    };
  if (header.cluster !== cluster)
    return { kind: 'foreign', why: `it belongs to cluster "${header.cluster}", not "${cluster}"` };
  if (header.slotSize % DISK_BLOCK !== 0 || header.slotSize < DISK_BLOCK || header.slotCount < 1)
    return {
      kind: 'foreign',
      why: `its slot size ${header.slotSize} or count ${header.slotCount} is invalid`,
    };
  return { kind: 'ours', header };
}

export function slotOffset(header: DiskHeader, index: number): number {
  return DISK_BLOCK + index * header.slotSize;
}

/** The slot image to write: whole blocks only, so the write stays aligned. */
export function encodeSlot(frame: Buffer, slotSize: number): Buffer {
  const used = SLOT_HEADER + frame.length;
  if (used > slotSize)
    throw new Error(`heartbeat frame of ${frame.length} bytes does not fit a ${slotSize}-byte disk slot`);
  const image = Buffer.alloc(Math.ceil(used / DISK_BLOCK) * DISK_BLOCK);
  SLOT_MAGIC.copy(image, 0);
  image.writeUInt32BE(frame.length, SLOT_MAGIC.length);
  frame.copy(image, SLOT_HEADER);
  return image;
}

/** The frame in a slot, or null for a slot never written (or not a slot at all). */
export function decodeSlot(slot: Buffer): Buffer | null {
  if (slot.length < SLOT_HEADER || !slot.subarray(0, SLOT_MAGIC.length).equals(SLOT_MAGIC)) return null;
  const length = slot.readUInt32BE(SLOT_MAGIC.length);
  if (length === 0 || SLOT_HEADER + length > slot.length) return null;
  return slot.subarray(SLOT_HEADER, SLOT_HEADER + length);
}

/** Bytes the disk (or file) must hold for `slotCount` slots. */
export function diskBytes(slotCount: number, slotSize = DISK_SLOT_SIZE): number {
  return DISK_BLOCK + slotCount * slotSize;
}
