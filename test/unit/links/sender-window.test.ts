import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOSS_WINDOW, SenderWindow } from '../../../src/links/sender-window.js';

test('increasing sequence numbers are accepted', () => {
  const window = new SenderWindow();
  for (let seq = 1; seq <= 5; seq++) assert.equal(window.observe(3, seq), 'accepted');
  assert.deepEqual(window.newest, { incarnation: 3, seq: 5 });
});

test('the same or a lower seq of the same incarnation is a replay', () => {
  const window = new SenderWindow();
  window.observe(3, 10);
  assert.equal(window.observe(3, 10), 'replayed');
  assert.equal(window.observe(3, 9), 'replayed');
  assert.equal(window.observe(3, 1), 'replayed');
  assert.equal(window.observe(3, 11), 'accepted');
});

test('a lower incarnation is stale, whatever its seq', () => {
  const window = new SenderWindow();
  window.observe(5, 2);
  assert.equal(window.observe(4, 1000), 'stale');
  assert.deepEqual(window.newest, { incarnation: 5, seq: 2 });
});

test('a higher incarnation (the sender restarted) starts over from its seq', () => {
  const window = new SenderWindow();
  window.observe(5, 900);
  assert.equal(window.observe(6, 1), 'accepted');
  assert.equal(window.observe(6, 2), 'accepted');
  assert.equal(window.observe(5, 901), 'stale');
  assert.equal(window.loss(), 0);
});

test('loss is the share of missing seqs in the window', () => {
  const window = new SenderWindow();
  assert.equal(window.loss(), 0);
  for (let seq = 1; seq <= 40; seq++) if (seq % 4 !== 0) window.observe(1, seq);
  // The window is 20..39 (39 is the highest): 20, 24, 28, 32 and 36 are missing.
  assert.equal(window.loss(), 5 / LOSS_WINDOW);
});

test('loss counts only what was expected since the first frame seen', () => {
  const window = new SenderWindow();
  window.observe(1, 100);
  window.observe(1, 102);
  assert.equal(window.loss(), 1 / 3);
});

test('a long silence then one frame reads as heavy loss', () => {
  const window = new SenderWindow();
  for (let seq = 1; seq <= 30; seq++) window.observe(1, seq);
  window.observe(1, 1000);
  assert.equal(window.loss(), (LOSS_WINDOW - 1) / LOSS_WINDOW);
});
