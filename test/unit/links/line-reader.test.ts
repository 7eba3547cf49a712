import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineReader, MAX_LINE_BYTES } from '../../../src/links/peer/line-reader.js';

function lines(reader: LineReader, chunk: string | Buffer): string[] {
  const result = reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  assert.ok(result.ok);
  return result.lines.map((line) => line.toString('utf8'));
}

test('splits lines within and across chunks', () => {
  const reader = new LineReader();
  assert.deepEqual(lines(reader, 'one\ntwo\nthr'), ['one', 'two']);
  assert.deepEqual(lines(reader, 'ee'), []);
  assert.deepEqual(lines(reader, '\n\nfour\n'), ['three', '', 'four']);
});

test('a multi-byte character split across chunks is reassembled', () => {
  const reader = new LineReader();
  const bytes = Buffer.from('grüße\n');
  assert.deepEqual(lines(reader, bytes.subarray(0, 3)), []);
  assert.deepEqual(lines(reader, bytes.subarray(3)), ['grüße']);
});

test('a line of exactly the maximum is fine', () => {
  const reader = new LineReader(10);
  assert.deepEqual(lines(reader, `${'x'.repeat(10)}\n`), ['x'.repeat(10)]);
});

test('a line over the maximum is refused, with or without its newline yet', () => {
  assert.deepEqual(new LineReader(10).push(Buffer.from(`${'x'.repeat(11)}\n`)), {
    ok: false,
    reason: 'oversized',
  });
  const reader = new LineReader(10);
  assert.deepEqual(lines(reader, 'x'.repeat(6)), []);
  assert.deepEqual(reader.push(Buffer.from('x'.repeat(5))), { ok: false, reason: 'oversized' });
});

test('the default maximum is 1 MiB', () => {
  assert.equal(MAX_LINE_BYTES, 1024 * 1024);
  const reader = new LineReader();
  const result = reader.push(Buffer.alloc(MAX_LINE_BYTES + 1, 0x61));
  assert.deepEqual(result, { ok: false, reason: 'oversized' });
});
