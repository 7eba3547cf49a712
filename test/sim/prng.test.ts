import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, mix32, deriveSeed } from '../../src/sim/prng.js';

test('the same seed gives the same sequence; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const sa = Array.from({ length: 100 }, () => a.next());
  const sb = Array.from({ length: 100 }, () => b.next());
  const sc = Array.from({ length: 100 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  assert.ok(sa.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
});

test('named streams are independent of each other and reproducible', () => {
  const x1 = Rng.stream(7, 'network');
  const x2 = Rng.stream(7, 'network');
  const y = Rng.stream(7, 'schedule');
  const v1 = Array.from({ length: 20 }, () => x1.next());
  assert.deepEqual(
    v1,
    Array.from({ length: 20 }, () => x2.next()),
  );
  assert.notDeepEqual(
    v1,
    Array.from({ length: 20 }, () => y.next()),
  );
  assert.notEqual(deriveSeed(1, 'a'), deriveSeed(1, 'b'));
  assert.notEqual(deriveSeed(1, 'a'), deriveSeed(2 ** 32 + 1, 'a'), 'seeds above 2^32 stay distinct');
});

test('mix32 avalanches: one flipped input bit changes about half the output bits', () => {
  let total = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const x = (i * 2654435761) >>> 0;
    const d = (mix32(x) ^ mix32(x ^ (1 << (i % 32)))) >>> 0;
    total += d.toString(2).split('1').length - 1;
  }
  const mean = total / n;
  assert.ok(mean > 14 && mean < 18, `mean flipped bits ${mean}`);
});

test('int stays in range and covers it evenly; float is in [0, 1)', () => {
  const rng = new Rng(1);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const v = rng.int(0, 9);
    assert.ok(v >= 0 && v <= 9);
    counts[v]++;
  }
  for (const c of counts) assert.ok(c > 9_000 && c < 11_000, `bucket ${c}`);
  for (let i = 0; i < 10_000; i++) {
    const f = rng.float();
    assert.ok(f >= 0 && f < 1);
  }
  assert.equal(rng.int(5, 5), 5);
  assert.throws(() => rng.int(3, 2));
});

test('chance, pick, weighted, shuffle and sample', () => {
  const rng = new Rng(99);
  let hits = 0;
  for (let i = 0; i < 10_000; i++) if (rng.chance(0.25)) hits++;
  assert.ok(hits > 2_200 && hits < 2_800, `chance(0.25) hit ${hits}/10000`);
  const items = ['a', 'b', 'c', 'd', 'e'];
  for (let i = 0; i < 100; i++) assert.ok(items.includes(rng.pick(items)));
  assert.throws(() => rng.pick([]));
  let heavy = 0;
  for (let i = 0; i < 10_000; i++)
    if (
      rng.weighted([
        ['x', 9],
        ['y', 1],
      ] as const) === 'x'
    )
      heavy++;
  assert.ok(heavy > 8_700 && heavy < 9_300, `weighted 9:1 gave ${heavy}`);
  assert.equal(
    rng.weighted([
      ['only', 0],
      ['never', 0],
      ['last', 1],
    ] as const),
    'last',
  );
  const shuffled = rng.shuffle(items);
  assert.deepEqual([...shuffled].sort(), items);
  assert.deepEqual(items, ['a', 'b', 'c', 'd', 'e'], 'shuffle does not touch its input');
  const sample = rng.sample(items, 3);
  assert.equal(new Set(sample).size, 3);
  assert.equal(rng.sample(items, 10).length, 5);
});

test('fork gives a reproducible child stream', () => {
  const a = new Rng(5).fork('x');
  const b = new Rng(5).fork('x');
  assert.equal(a.next(), b.next());
});
