import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from '../../src/sim/queue.js';

test('events run in time order, equal times in scheduling order', () => {
  const q = new EventQueue();
  const log: string[] = [];
  q.at(30, () => log.push('c'));
  q.at(10, () => log.push('a1'));
  q.at(20, () => log.push('b'));
  q.at(10, () => log.push('a2'));
  q.at(10, () => log.push('a3'));
  while (q.step());
  assert.deepEqual(log, ['a1', 'a2', 'a3', 'b', 'c']);
  assert.equal(q.now, 30);
});

test('the clock is integer ms and never goes back', () => {
  const q = new EventQueue();
  const times: number[] = [];
  q.at(10.2, () => {
    times.push(q.now);
    q.at(5, () => times.push(q.now)); // in the past: runs now
    q.after(0, () => times.push(q.now));
    q.after(7, () => times.push(q.now));
  });
  while (q.step());
  assert.deepEqual(times, [11, 11, 11, 18]);
});

test('events scheduled from events keep a stable order with earlier ones at the same time', () => {
  const q = new EventQueue();
  const log: string[] = [];
  q.at(5, () => {
    log.push('first');
    q.at(5, () => log.push('nested'));
  });
  q.at(5, () => log.push('second'));
  while (q.step());
  assert.deepEqual(log, ['first', 'second', 'nested']);
});

test('runUntil stops at the time, advances the clock, and can stop early', () => {
  const q = new EventQueue();
  let n = 0;
  for (let t = 0; t < 100; t += 10) q.at(t, () => n++);
  assert.equal(q.runUntil(45), true);
  assert.equal(n, 5);
  assert.equal(q.now, 45);
  assert.equal(q.peekTime(), 50);
  assert.equal(
    q.runUntil(1000, () => n >= 7),
    false,
  );
  assert.equal(n, 7);
  assert.equal(q.now, 60);
  q.runUntil(1000);
  assert.equal(n, 10);
  assert.equal(q.now, 1000);
  assert.equal(q.size, 0);
});

test('a large random workload comes out sorted (heap property)', () => {
  const q = new EventQueue();
  const out: [number, number][] = [];
  let x = 12345;
  for (let i = 0; i < 5000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const t = x % 1000;
    q.at(t, () => out.push([q.now, i]));
  }
  while (q.step());
  for (let i = 1; i < out.length; i++) {
    const [t0, i0] = out[i - 1]!;
    const [t1, i1] = out[i]!;
    assert.ok(t0 < t1 || (t0 === t1 && i0 < i1), `out of order at ${i}`);
  }
});
