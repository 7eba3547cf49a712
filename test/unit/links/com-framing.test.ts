// The serial envelope: frames survive being split anywhere, and the reader resynchronises after
// noise, a bad CRC or a false magic inside garbage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ComDeframer,
  COM_MAX_FRAME_BYTES,
  encodeComFrame,
  transmitMs,
} from '../../../src/links/com-framing.js';

const frameA = Buffer.from('VGH\u0001first frame payload');
const frameB = Buffer.from('VGH\u0001second');

function frames(events: ReturnType<ComDeframer['push']>): string[] {
  return events.flatMap((e) => (e.kind === 'frame' ? [e.frame.toString()] : []));
}

test('frames come out whole however the stream is split', () => {
  const stream = Buffer.concat([encodeComFrame(frameA), encodeComFrame(frameB)]);
  for (let cut = 1; cut < stream.length; cut++) {
    const reader = new ComDeframer();
    const events = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
    assert.deepEqual(frames(events), [frameA.toString(), frameB.toString()], `cut at ${cut}`);
    assert.ok(
      events.every((e) => e.kind === 'frame'),
      `cut at ${cut}: ${JSON.stringify(events)}`,
    );
  }
});

test('leading noise is skipped and counted', () => {
  const events = new ComDeframer().push(Buffer.concat([Buffer.from('xxVGyy'), encodeComFrame(frameA)]));
  assert.deepEqual(events[0], { kind: 'garbage', bytes: 6 });
  assert.deepEqual(frames(events), [frameA.toString()]);
});

test('a bad CRC costs that frame only', () => {
  const bad = encodeComFrame(frameA);
  bad[8] = bad[8]! ^ 0x01;
  const events = new ComDeframer().push(Buffer.concat([bad, encodeComFrame(frameB)]));
  assert.equal(events.filter((e) => e.kind === 'crc-error').length, 1);
  assert.deepEqual(frames(events), [frameB.toString()]);
});

test('a corrupted length does not swallow the next frame', () => {
  const bad = encodeComFrame(frameA);
  bad.writeUInt16BE(200, 3); // claims to be longer than it is: would eat frameB and more
  const reader = new ComDeframer();
  const events = [
    ...reader.push(Buffer.concat([bad, encodeComFrame(frameB)])),
    ...reader.push(Buffer.alloc(300)),
  ];
  assert.deepEqual(frames(events), [frameB.toString()]);
  assert.equal(events.filter((e) => e.kind === 'crc-error').length, 1);
  assert.deepEqual(frames(reader.push(encodeComFrame(frameA))), [frameA.toString()]);
});

test('a false magic with an impossible length is skipped byte by byte', () => {
  const fake = Buffer.from([0x56, 0x47, 0x43, 0xff, 0xff]);
  const events = new ComDeframer().push(Buffer.concat([fake, encodeComFrame(frameB)]));
  assert.deepEqual(frames(events), [frameB.toString()]);
});

test('encodeComFrame refuses frames over the limit; transmit time is 10 bits a byte', () => {
  assert.throws(() => encodeComFrame(Buffer.alloc(COM_MAX_FRAME_BYTES + 1)), /exceeds the COM limit/);
  assert.equal(transmitMs(960, 9600), 1000);
});
