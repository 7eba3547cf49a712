import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainDuration, formatDuration, parseDuration } from '../../../src/config/durations.js';

test('durations with units become milliseconds', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('3s'), 3_000);
  assert.equal(parseDuration('1.5s'), 1_500);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('0.25m'), 15_000);
});

test('bare numbers, unknown units, spaces, zero and fractions of a millisecond are refused', () => {
  for (const bad of ['500', '3sec', '2 s', '0s', '1.5ms', '-1s', 's', '', '1,5s', '1e3ms']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
});

test('each refusal says what is wrong and how to write it', () => {
  assert.deepEqual(explainDuration(2), {
    message: 'the bare number 2 is not a duration',
    hint: 'add a unit, e.g. 2s or 2ms',
  });
  assert.equal(explainDuration('500')?.message, '"500" has no unit');
  assert.equal(explainDuration('3sec')?.message, 'unknown unit "sec" in "3sec"');
  assert.match(explainDuration('3sec')?.hint ?? '', /ms, s, m or h/);
  assert.equal(explainDuration('2 s')?.message, '"2 s" has extra spaces');
  assert.equal(explainDuration('0ms')?.message, 'a duration must be longer than zero');
  assert.equal(explainDuration('1.5ms')?.message, '"1.5ms" is not a whole number of milliseconds');
  assert.equal(explainDuration('soon')?.message, '"soon" is not a duration');
  assert.equal(explainDuration(true)?.message, 'expected a duration such as 2s');
  assert.equal(explainDuration('750ms'), undefined);
});

test('formatDuration writes the short human form used in summaries', () => {
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(2_000), '2s');
  assert.equal(formatDuration(12_500), '12.5s');
  assert.equal(formatDuration(120_000), '2m');
  assert.equal(formatDuration(150_000), '2m30s');
  assert.equal(formatDuration(77_500), '1m17.5s');
  assert.equal(formatDuration(3_600_000), '1h');
  assert.equal(formatDuration(0), '0ms');
});

test('names of object properties are not units', () => {
  assert.equal(explainDuration('3constructor')?.message, 'unknown unit "constructor" in "3constructor"');
  assert.equal(parseDuration('1toString'), undefined);
});
