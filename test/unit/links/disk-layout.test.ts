// The DISK link's header and slots: only an all-zero block is empty, anything else not ours is foreign.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeSlot,
  DISK_BLOCK,
  DISK_SLOT_SIZE,
  encodeHeader,
  encodeSlot,
  readHeader,
  slotOffset,
} from '../../../src/links/disk-layout.js';

const header = { version: 1, slotSize: DISK_SLOT_SIZE, slotCount: 16, cluster: 'prod' };

test('a header reads back as ours; slots sit after it', () => {
  assert.deepEqual(readHeader(encodeHeader(header), 'prod'), { kind: 'ours', header });
  assert.equal(slotOffset(header, 0), DISK_BLOCK);
  assert.equal(slotOffset(header, 2), DISK_BLOCK + 2 * DISK_SLOT_SIZE);
});

test('zeros are empty; other clusters, other data, damage and other versions are foreign', () => {
  assert.deepEqual(readHeader(Buffer.alloc(DISK_BLOCK), 'prod'), { kind: 'empty' });
  assert.match(JSON.stringify(readHeader(encodeHeader(header), 'test')), /belongs to cluster \\"prod\\"/);
  assert.match(JSON.stringify(readHeader(Buffer.alloc(DISK_BLOCK, 1), 'prod')), /other data/);
  const damaged = encodeHeader(header);
  damaged[30] = 1;
  assert.match(JSON.stringify(readHeader(damaged, 'prod')), /damaged/);
  assert.match(
    JSON.stringify(readHeader(encodeHeader({ ...header, version: 2 }), 'prod')),
    /layout version is 2/,
  );
  assert.match(JSON.stringify(readHeader(Buffer.alloc(100), 'prod')), /shorter than 4096/);
});

test('a slot holds one frame in whole blocks; an unwritten slot has none', () => {
  const frame = Buffer.from('VGH\u0001 a frame');
  const image = encodeSlot(frame, DISK_SLOT_SIZE);
  assert.equal(image.length, DISK_BLOCK);
  assert.deepEqual(decodeSlot(image), frame);
  assert.equal(decodeSlot(Buffer.alloc(DISK_BLOCK)), null);
  assert.equal(encodeSlot(Buffer.alloc(5000), DISK_SLOT_SIZE).length, 2 * DISK_BLOCK);
  assert.throws(() => encodeSlot(Buffer.alloc(DISK_SLOT_SIZE), DISK_SLOT_SIZE), /does not fit/);
});
