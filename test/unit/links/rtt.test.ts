import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SendLog, SmoothedRtt } from '../../../src/links/rtt.js';

test('the send log remembers recent sends and forgets overwritten ones', () => {
  const log = new SendLog();
  for (let seq = 1; seq <= 100; seq++) log.record(seq, seq * 10);
  assert.equal(log.sentAt(100), 1000);
  assert.equal(log.sentAt(37), 370);
  assert.equal(log.sentAt(36), undefined);
  assert.equal(log.sentAt(101), undefined);
});

test('the first sample sets the RTT; later ones move it by an eighth', () => {
  const rtt = new SmoothedRtt();
  assert.equal(rtt.ms, null);
  rtt.sample(8);
  assert.equal(rtt.ms, 8);
  rtt.sample(16);
  assert.equal(rtt.ms, 9);
});

test('negative or non-finite samples are ignored', () => {
  const rtt = new SmoothedRtt();
  rtt.sample(-1);
  rtt.sample(Number.NaN);
  rtt.sample(Number.POSITIVE_INFINITY);
  assert.equal(rtt.ms, null);
});
