import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEnvelope, parseEnvelope, type Envelope } from '../../../src/links/peer/envelope.js';

const parse = (text: string) => parseEnvelope(Buffer.from(text));

test('every envelope survives encode and parse', () => {
  const envelopes: Envelope[] = [
    { t: 'hello', v: 1, cluster: 'prod', from: 'alpha' },
    { t: 'msg', body: { kind: 'grant', group: 'web', epoch: 3 } },
    { t: 'req', id: 7, body: ['a', 1] },
    { t: 'res', id: 7, ok: true, body: 'fine' },
    { t: 'res', id: 8, ok: false, error: 'no handler' },
    { t: 'ping' },
  ];
  for (const envelope of envelopes) {
    const line = encodeEnvelope(envelope);
    assert.equal(line[line.length - 1], 0x0a);
    assert.deepEqual(parseEnvelope(line.subarray(0, line.length - 1)), envelope);
  }
});

test('an undefined body arrives as null', () => {
  assert.deepEqual(parse(encodeEnvelope({ t: 'msg', body: undefined }).toString().trim()), {
    t: 'msg',
    body: null,
  });
});

test('lines that are not envelopes are refused', () => {
  for (const text of [
    '',
    'not json',
    '[]',
    '"hello"',
    '{"t":"shout"}',
    '{"t":"hello","v":1,"from":"a"}',
    '{"t":"req","id":0,"body":1}',
    '{"t":"req","id":"7","body":1}',
    '{"t":"res","id":7}',
    '{"t":"res","id":7,"ok":false}',
  ])
    assert.equal(parse(text), null, text);
});
