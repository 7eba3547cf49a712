import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../../src/links/peer/backoff.js';

test('without jitter the delay doubles from 100 ms and stays at 5 s', () => {
  const backoff = new Backoff({ random: () => 0.5 });
  const delays = Array.from({ length: 10 }, () => backoff.next());
  assert.deepEqual(delays, [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
});

test('jitter stays within ±20 % and never above the maximum', () => {
  const low = new Backoff({ random: () => 0 });
  const high = new Backoff({ random: () => 0.999999 });
  assert.equal(low.next(), 80);
  assert.equal(high.next(), 120);
  for (let attempt = 1; attempt < 20; attempt++) {
    const base = Math.min(5000, 100 * 2 ** attempt);
    assert.equal(low.next(), Math.round(base * 0.8));
    assert.equal(high.next(), Math.min(5000, Math.round(base * 1.2)));
  }
});

test('reset starts again from the initial delay', () => {
  const backoff = new Backoff({ random: () => 0.5, initialMs: 10, maxMs: 50 });
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next()], [10, 20, 40, 50]);
  backoff.reset();
  assert.equal(backoff.next(), 10);
});

test('a very long run does not overflow', () => {
  const backoff = new Backoff({ random: () => 0.5 });
  for (let i = 0; i < 10_000; i++) assert.equal(Number.isFinite(backoff.next()), true);
  assert.equal(backoff.next(), 5000);
});
