// A server whose shell stalled past the heartbeat timeout (SIGSTOP, a blocked event loop) may have
// been declared down and its groups taken over: told `stalled` on waking, it fences at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, model } from './harness.js';

const onlineOn = (h: Harness, group: string, server: string) => () =>
  h.engines.has(server) && h.view(server).groups.find((g) => g.name === group)?.local === 'online';

test('a holder stalled past the takeover: it fences on waking, before anything else; web stays on s2', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  const { heartbeatTimeoutMs, takeoverDelayMs } = h.model.timing;
  const stallMs = heartbeatTimeoutMs + takeoverDelayMs + 2_000;
  const outputs = h.stall('s1', stallMs);
  // While s1 was stopped its service kept running and s2 took web over: the overlap a watchdog ends.
  const fence = outputs.find((o) => o.type === 'fence');
  assert.ok(fence && fence.type === 'fence', JSON.stringify(outputs));
  assert.deepEqual(fence.groups, ['web']);
  assert.match(fence.reason, /did not run for \d+ ms/);
  assert.deepEqual(h.activeOn('web'), ['s2'], 'the fence output stopped web on s1 at once');
  assert.equal(h.view('s1').service, 'fenced');
  // s1 rejoins later, and web stays where it went.
  let overlap = false;
  const rejoined = h.runUntil(() => {
    if (h.activeOn('web').length > 1) overlap = true;
    return h.view('s1').service === 'running';
  }, 20_000);
  assert.ok(rejoined, 's1 never rejoined');
  h.run(5_000);
  assert.equal(overlap, false);
  assert.deepEqual(h.activeOn('web'), ['s2']);
});

test('a stall of a server that runs nothing fences nothing and it rejoins', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  const outputs = h.stall('s3', h.model.timing.heartbeatTimeoutMs * 2);
  assert.equal(
    outputs.some((o) => o.type === 'fence'),
    false,
  );
  assert.ok(h.runUntil(() => h.view('s3').service === 'running', 20_000));
  assert.deepEqual(h.activeOn('web'), ['s1']);
});
