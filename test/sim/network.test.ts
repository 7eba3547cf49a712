import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerModel } from '../../src/engine/model.js';
import type { PeerMessage } from '../../src/engine/messages.js';
import { EventQueue } from '../../src/sim/queue.js';
import { Rng } from '../../src/sim/prng.js';
import { SimNetwork } from '../../src/sim/network.js';

const lan = (id: string) => ({ id, kind: 'lan' as const });
const servers: ServerModel[] = [
  { name: 's1', links: [lan('lan0'), lan('lan1'), { id: 'disk', kind: 'disk' }] },
  { name: 's2', links: [lan('lan0'), lan('lan1'), { id: 'disk', kind: 'disk' }] },
  { name: 's3', links: [lan('lan0'), { id: 'disk', kind: 'disk' }] },
];

const hb: PeerMessage = {
  kind: 'heartbeat',
  incarnation: 1,
  seq: 1,
  hears: [],
  quorate: true,
  service: 'running',
  groups: {},
  intents: {},
};
const claim = (epoch: number): PeerMessage => ({ kind: 'claim', group: 'g1', epoch, incarnation: 1 });

function setup(maxDelayMs = 250, base: [number, number] = [1, 10]) {
  const queue = new EventQueue();
  const got: { from: string; to: string; link: string; message: PeerMessage; at: number; tag: number }[] = [];
  const net = new SimNetwork(
    servers,
    queue,
    new Rng(1),
    (from, to, link, message, tag) => got.push({ from, to, link, message, at: queue.now, tag }),
    {
      maxDelayMs,
      baseDelayMs: base,
    },
  );
  const flush = () => queue.runUntil(queue.now + 10_000);
  return { queue, net, got, flush };
}

test('shared links are the intersection, in the sender order', () => {
  const { net } = setup();
  assert.deepEqual(net.linksBetween('s1', 's2'), ['lan0', 'lan1', 'disk']);
  assert.deepEqual(net.linksBetween('s1', 's3'), ['lan0', 'disk']);
  assert.deepEqual(net.linksBetween('s3', 's2'), ['lan0', 'disk']);
});

test('a heartbeat goes on every shared link; other messages on the first working link', () => {
  const { net, got, flush } = setup();
  assert.equal(net.send('s1', 's2', hb, 7), 3);
  assert.equal(net.send('s1', 's2', claim(1)), 1);
  flush();
  assert.deepEqual(
    got
      .filter((g) => g.message.kind === 'heartbeat')
      .map((g) => g.link)
      .sort(),
    ['disk', 'lan0', 'lan1'],
  );
  assert.equal(got.find((g) => g.message.kind === 'heartbeat')!.tag, 7);
  assert.deepEqual(
    got.filter((g) => g.message.kind === 'claim').map((g) => g.link),
    ['lan0'],
  );
  got.length = 0;
  const id = net.add({ kind: 'link-down', a: 's2', b: 's1', link: 'lan0' });
  net.send('s1', 's2', claim(2));
  net.send('s1', 's2', hb);
  flush();
  assert.deepEqual(
    got.filter((g) => g.message.kind === 'claim').map((g) => g.link),
    ['lan1'],
    'best link skips the cut one',
  );
  assert.deepEqual(
    got
      .filter((g) => g.message.kind === 'heartbeat')
      .map((g) => g.link)
      .sort(),
    ['disk', 'lan1'],
  );
  net.remove(id);
  got.length = 0;
  net.send('s1', 's2', claim(3));
  flush();
  assert.deepEqual(
    got.map((g) => g.link),
    ['lan0'],
    'the link is back after the fault ends',
  );
});

test('delays stay within the bound, even with a delay fault', () => {
  const { net, got, queue, flush } = setup(250, [1, 10]);
  net.add({ kind: 'delay', maxMs: 1000 });
  for (let i = 0; i < 500; i++) net.send('s1', 's3', hb);
  const sentAt = queue.now;
  flush();
  assert.equal(got.length, 1000);
  const delays = got.map((g) => g.at - sentAt);
  assert.ok(Math.max(...delays) <= 250, `max delay ${Math.max(...delays)}`);
  assert.ok(Math.max(...delays) > 100, 'the delay fault does add delay');
});

test('the reliable channel is FIFO per ordered pair', () => {
  const { net, got, queue, flush } = setup(250, [1, 200]);
  for (let i = 0; i < 200; i++) {
    net.send('s1', 's2', claim(i));
    queue.runUntil(queue.now + 1);
  }
  flush();
  const epochs = got.map((g) => (g.message.kind === 'claim' ? g.message.epoch : -1));
  assert.deepEqual(
    epochs,
    [...epochs].sort((a, b) => a - b),
  );
});

test('partition, one-way loss and isolation block the right directions', () => {
  const { net } = setup();
  const p = net.add({ kind: 'partition', sides: [['s1', 's2'], ['s3']] });
  assert.equal(net.connected('s1', 's2'), true);
  assert.equal(net.connected('s1', 's3'), false);
  assert.equal(net.connected('s3', 's2'), false);
  net.remove(p);
  const o = net.add({ kind: 'one-way', from: 's1', to: 's2' });
  assert.equal(net.connected('s1', 's2'), false);
  assert.equal(net.connected('s2', 's1'), true);
  const i = net.add({ kind: 'isolate', server: 's3' });
  assert.equal(net.connected('s3', 's1'), false);
  assert.equal(net.connected('s2', 's3'), false);
  net.remove(o);
  net.remove(i);
  assert.equal(net.connected('s1', 's2') && net.connected('s3', 's1'), true);
});

test('overlapping faults end independently', () => {
  const { net } = setup();
  const a = net.add({ kind: 'link-down', a: 's1', b: 's3', link: 'lan0' });
  const b = net.add({ kind: 'link-down', a: 's1', b: 's3', link: 'disk' });
  assert.equal(net.connected('s1', 's3'), false);
  const c = net.add({ kind: 'link-down', a: 's3', b: 's1', link: 'lan0' });
  net.remove(a);
  assert.equal(net.canPass('s1', 's3', 'lan0'), false, 'the second fault on lan0 still holds');
  net.remove(c);
  assert.equal(net.canPass('s1', 's3', 'lan0'), true);
  net.remove(b);
  net.add({ kind: 'partition', sides: [['s1'], ['s2', 's3']] });
  net.healAll();
  assert.equal(net.activeFaults().length, 0);
  assert.equal(net.connected('s1', 's2'), true);
});

test('when every link is cut the message is lost; random loss drops about the given share', () => {
  const { net, got, flush } = setup();
  net.add({ kind: 'isolate', server: 's1' });
  assert.equal(net.send('s1', 's2', claim(1)), 0);
  assert.equal(net.send('s1', 's2', hb), 0);
  net.healAll();
  net.add({ kind: 'loss', rate: 0.3 });
  for (let i = 0; i < 2000; i++) net.send('s2', 's3', claim(i));
  flush();
  assert.ok(got.length > 1250 && got.length < 1550, `delivered ${got.length} of 2000 at 30% loss`);
  assert.equal(
    net.stats.lost + net.stats.cut + net.stats.delivered,
    net.stats.sent + 1,
    'one message had no link at all',
  );
});
