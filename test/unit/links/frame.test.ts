import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bodyDigest,
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  FrameTooLargeError,
  MAX_FRAME_BYTES,
  type FrameRejection,
} from '../../../src/links/frame.js';
import { context, fields, heartbeat, HEARTBEAT_KEY, signedDatagram } from './fixtures.js';

function reasonOf(datagram: Buffer, ctx = context()): FrameRejection | 'ok' {
  const result = decodeFrame(datagram, ctx);
  return result.ok ? 'ok' : result.reason;
}

/** The JSON payload a correct encoder would produce, before signing, for editing in tests. */
function payloadOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const datagram = encodeFrame(fields(), HEARTBEAT_KEY);
  return { ...JSON.parse(datagram.subarray(FRAME_HEADER_BYTES).toString('utf8')), ...overrides };
}

test('a frame survives encode and decode unchanged', () => {
  const sent = fields({ echo: { seq: 41, heldMs: 12.5 } });
  const result = decodeFrame(encodeFrame(sent, HEARTBEAT_KEY), context());
  assert.ok(result.ok);
  assert.deepEqual(result.frame, { ...sent, digest: bodyDigest(JSON.stringify(sent.body)) });
});

test('a frame without an echo has no echo field', () => {
  const result = decodeFrame(encodeFrame(fields(), HEARTBEAT_KEY), context());
  assert.ok(result.ok);
  assert.equal('echo' in result.frame, false);
});

test('truncated: shorter than the prefix, or a header with no payload', () => {
  assert.equal(reasonOf(Buffer.alloc(0)), 'truncated');
  assert.equal(reasonOf(Buffer.from('VG')), 'truncated');
  const whole = encodeFrame(fields(), HEARTBEAT_KEY);
  assert.equal(reasonOf(whole.subarray(0, 20)), 'truncated');
  assert.equal(reasonOf(whole.subarray(0, FRAME_HEADER_BYTES + 1)), 'truncated');
});

test('truncated in the payload: the tag no longer matches', () => {
  const whole = encodeFrame(fields(), HEARTBEAT_KEY);
  assert.equal(reasonOf(whole.subarray(0, whole.length - 5)), 'forged');
});

test('oversized: over the limit on decode, and refused on encode', () => {
  assert.equal(reasonOf(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x56)), 'oversized');
  const intents: Record<
    string,
    { version: number; by: string; value: { kind: 'monitor'; suspended: boolean } }
  > = {};
  for (let i = 0; i < 2000; i++)
    intents[`monitor:a-rather-long-monitor-name-${i}`] = {
      version: i,
      by: 'alpha',
      value: { kind: 'monitor', suspended: false },
    };
  assert.throws(
    () => encodeFrame(fields({ body: heartbeat({ intents }) }), HEARTBEAT_KEY),
    (error: unknown) =>
      error instanceof FrameTooLargeError && /exceeds the 60000-byte limit/.test(error.message),
  );
});

test('a frame just under the limit still decodes', () => {
  const padded = heartbeat({ hears: ['x'.repeat(1000)] });
  const datagram = encodeFrame(fields({ body: padded }), HEARTBEAT_KEY);
  assert.ok(datagram.length < MAX_FRAME_BYTES);
  assert.equal(reasonOf(datagram), 'ok');
});

test('garbage: wrong magic or wrong version', () => {
  const whole = encodeFrame(fields(), HEARTBEAT_KEY);
  const badMagic = Buffer.from(whole);
  badMagic[0] = 0x58;
  assert.equal(reasonOf(badMagic), 'garbage');
  const badVersion = Buffer.from(whole);
  badVersion[3] = 2;
  assert.equal(reasonOf(badVersion), 'garbage');
  assert.equal(reasonOf(Buffer.from('GET / HTTP/1.1\r\n\r\n')), 'garbage');
});

test('forged: another key, a flipped tag bit, a flipped payload bit', () => {
  assert.equal(reasonOf(encodeFrame(fields(), Buffer.alloc(32, 0x22))), 'forged');
  const whole = encodeFrame(fields(), HEARTBEAT_KEY);
  const badTag = Buffer.from(whole);
  badTag[10] = (badTag[10] as number) ^ 1;
  assert.equal(reasonOf(badTag), 'forged');
  const badPayload = Buffer.from(whole);
  badPayload[whole.length - 3] = (badPayload[whole.length - 3] as number) ^ 1;
  assert.equal(reasonOf(badPayload), 'forged');
});

test('malformed: authentic but not JSON', () => {
  assert.equal(reasonOf(signedDatagram('{"cluster": "prod", ')), 'malformed');
  assert.equal(reasonOf(signedDatagram(Buffer.from([0xff, 0xfe, 0x00, 0x01]))), 'malformed');
});

test('malformed: authentic JSON of the wrong shape', () => {
  const cases: Record<string, unknown>[] = [
    payloadOf({ sender: 42 }),
    payloadOf({ seq: 0 }),
    payloadOf({ seq: 1.5 }),
    payloadOf({ incarnation: -1 }),
    payloadOf({ sentAt: 'now' }),
    payloadOf({ echo: { seq: 1 } }),
    payloadOf({ echo: { seq: 1, heldMs: -3 } }),
    payloadOf({ digest: 'XYZ' }),
    payloadOf({ body: { ...heartbeat(), kind: 'claim' } }),
    payloadOf({ body: { ...heartbeat(), service: 'dancing' } }),
    payloadOf({ body: { ...heartbeat(), hears: 'beta' } }),
    payloadOf({ body: { ...heartbeat(), groups: { web: { state: 'online' } } } }),
    payloadOf({
      body: { ...heartbeat(), intents: { x: { version: 1, by: 'a', value: { kind: 'other' } } } },
    }),
  ];
  for (const payload of cases)
    assert.equal(reasonOf(signedDatagram(JSON.stringify(payload))), 'malformed', JSON.stringify(payload));
  assert.equal(reasonOf(signedDatagram('[1,2,3]')), 'malformed');
  assert.equal(reasonOf(signedDatagram('null')), 'malformed');
});

test('malformed: the digest does not match the body', () => {
  const payload = payloadOf();
  const body = { ...(payload.body as object), quorate: false };
  assert.equal(reasonOf(signedDatagram(JSON.stringify({ ...payload, body }))), 'malformed');
});

test('malformed: the body incarnation differs from the frame incarnation', () => {
  const body = heartbeat({ incarnation: 8 });
  const payload = payloadOf({ body, digest: bodyDigest(JSON.stringify(body)) });
  assert.equal(reasonOf(signedDatagram(JSON.stringify(payload))), 'malformed');
});

test('wrong-cluster: authentic, but names another cluster', () => {
  assert.equal(reasonOf(encodeFrame(fields({ cluster: 'staging' }), HEARTBEAT_KEY)), 'wrong-cluster');
});

test('unknown-sender: authentic, but not from a configured peer (ourselves included)', () => {
  assert.equal(reasonOf(encodeFrame(fields({ sender: 'mallory' }), HEARTBEAT_KEY)), 'unknown-sender');
  assert.equal(reasonOf(encodeFrame(fields({ sender: 'beta' }), HEARTBEAT_KEY)), 'unknown-sender');
});
