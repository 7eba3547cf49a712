// The disk-space trend: least squares over recent samples, time until full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roughly, slope, timeToFull } from '../../../src/monitors/trend.js';

const MINUTE = 60_000;

test('a steady fill of 1 % a minute from 50 % is full in 50 minutes', () => {
  const samples = [0, 1, 2, 3, 4].map((i) => ({ at: i * MINUTE, used: 0.46 + 0.01 * i }));
  assert.ok(Math.abs((slope(samples) ?? 0) - 0.01 / MINUTE) < 1e-15);
  assert.ok(Math.abs((timeToFull(samples) ?? 0) - 50 * MINUTE) < 1);
  assert.equal(roughly(timeToFull(samples) ?? 0), 'about 50 min');
});

test('noise around a rising line still gives the fitted rate', () => {
  // Alternating ±0.5 % around 1 % a minute: the fitted line is 1.2 % a minute (the noise adds
  // Σ(x−x̄)e / Σ(x−x̄)² = 0.01 / 5), never flat or falling.
  const samples = [0, 1, 2, 3].map((i) => ({
    at: i * MINUTE,
    used: 0.5 + 0.01 * i + (i % 2 ? 0.005 : -0.005),
  }));
  const rate = (slope(samples) ?? 0) * MINUTE;
  assert.ok(Math.abs(rate - 0.012) < 1e-9, `rate ${rate}`);
});

test('no trend from fewer than two samples, a flat or a shrinking use, or samples at one instant', () => {
  assert.equal(timeToFull([{ at: 0, used: 0.9 }]), undefined);
  assert.equal(timeToFull([0, 1, 2].map((i) => ({ at: i * MINUTE, used: 0.9 }))), undefined);
  assert.equal(timeToFull([0, 1, 2].map((i) => ({ at: i * MINUTE, used: 0.9 - 0.01 * i }))), undefined);
  assert.equal(
    timeToFull([
      { at: 5, used: 0.1 },
      { at: 5, used: 0.2 },
    ]),
    undefined,
  );
});

test('already over the line is full now', () => {
  assert.equal(
    timeToFull([
      { at: 0, used: 0.99 },
      { at: MINUTE, used: 1.01 },
    ]),
    0,
  );
});

test('roughly picks hours, minutes or seconds', () => {
  assert.equal(roughly(2 * 3600_000), 'about 2 h');
  assert.equal(roughly(9_000_000), 'about 3 h');
  assert.equal(roughly(7_000_000), 'about 117 min');
  assert.equal(roughly(15 * MINUTE), 'about 15 min');
  assert.equal(roughly(40_000), 'about 40 s');
  assert.equal(roughly(0), 'about 1 s');
});
