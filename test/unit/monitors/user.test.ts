// user sees a real stall of this process's event loop (a synchronous busy-wait).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driverFor } from './check.js';

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // blocking on purpose: this is the stall the monitor must see
  }
}

/** Lets the histogram sample a few times. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('user reports an event-loop stall longer than the threshold', async () => {
  const { check } = driverFor('user', { threshold: '200ms' });
  assert.deepEqual(await check(), { ok: true, detail: 'started measuring the event-loop delay' });
  await settle();
  busyWait(600);
  await settle();
  const result = await check();
  assert.equal(result.ok, false, result.detail);
  const stalled = Number(/stalled for ([0-9]+) ms/.exec(result.detail)?.[1]);
  assert.ok(stalled >= 500, `measured ${stalled} ms for a 600 ms stall: ${result.detail}`);
  assert.match(result.detail, /\(limit 200 ms\); check CPU load/);
});

test('user is ok when the loop ran freely since the last check', async () => {
  const { check } = driverFor('user', { threshold: '5s' });
  await check();
  await settle();
  const result = await check();
  assert.equal(result.ok, true, result.detail);
  assert.match(result.detail, /^longest event-loop stall [0-9]+ ms \(limit 5000 ms\)$/);
});
