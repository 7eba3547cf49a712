import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, model } from './harness.js';

const onlineOn = (h: Harness, group: string, server: string) => () =>
  h.engines.has(server) && h.view(server).groups.find((g) => g.name === group)?.local === 'online';

test('three servers form a cluster and start web on the first policy server', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  assert.deepEqual(h.activeOn('web'), ['s1']);
  for (const s of ['s1', 's2', 's3']) {
    const view = h.view(s);
    assert.deepEqual(
      view.servers.map((x) => x.state),
      ['up', 'up', 'up'],
      `as seen by ${s}`,
    );
    assert.equal(view.groups[0].server, 's1');
  }
});

test('a crashed active server is replaced only after the takeover delay', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  const crashedAt = h.now;
  h.crash('s1');
  assert.ok(h.runUntil(onlineOn(h, 'web', 's2'), 20_000));
  const started = h.outputs.find((o) => o.server === 's2' && o.output.type === 'start-resource');
  assert.ok(started);
  const { heartbeatTimeoutMs, takeoverDelayMs } = h.model.timing;
  assert.ok(
    started.at - crashedAt >= heartbeatTimeoutMs + takeoverDelayMs - 500,
    `took over after ${started.at - crashedAt} ms`,
  );
  assert.deepEqual(h.activeOn('web'), ['s2']);
});

test('an isolated holder fences itself and the majority takes over without overlap', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  h.isolate('s1');
  let overlap = false;
  const ok = h.runUntil(() => {
    if (h.activeOn('web').length > 1) overlap = true;
    return onlineOn(h, 'web', 's2')();
  }, 20_000);
  assert.ok(ok);
  assert.equal(overlap, false);
  assert.equal(h.view('s1').service, 'fenced');
});

test('a move stops on the source before it starts on the target', () => {
  const h = new Harness(model(3));
  assert.ok(h.runUntil(onlineOn(h, 'web', 's1'), 10_000));
  const reply = h.operator('s2', { op: 'group-move', group: 'web', to: 's3' });
  assert.equal(reply?.type === 'reply' && reply.ok, true);
  let overlap = false;
  assert.ok(
    h.runUntil(() => {
      if (h.activeOn('web').length > 1) overlap = true;
      return onlineOn(h, 'web', 's3')();
    }, 10_000),
  );
  assert.equal(overlap, false);
  const lastStop = h.outputs.filter((o) => o.server === 's1' && o.output.type === 'stop-resource').at(-1);
  const firstStart = h.outputs.find((o) => o.server === 's3' && o.output.type === 'start-resource');
  assert.ok(lastStop && firstStart && lastStop.at < firstStart.at);
});
