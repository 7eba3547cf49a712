// Partition methods in the simulator beyond the named scenarios: the documented hazard of ping alone
// on two servers, and a sweep over the safe combinations only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realEngine } from '../../src/sim/engine-factory.js';
import { World } from '../../src/sim/world.js';
import { fixedModel, onlineOn } from '../../src/sim/scenarios.js';
import { generateModel } from '../../src/sim/model-gen.js';
import { Rng } from '../../src/sim/prng.js';

test('the hazard of ping alone on two servers: cut the interconnect and both run the group', () => {
  // Both servers still reach the gateway, so each decides it survived: a split brain that only a
  // lease (disk, witness) or majority rules out. `vigil config check` warns about such a config.
  const model = fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'] }], 'stop-service', false, [
    { kind: 'ping', targets: ['gw'], mode: 'any' },
  ]);
  const world = new World(model, { seed: 1, factory: realEngine });
  world.setStartFailures(false);
  world.start();
  assert.ok(
    world.waitFor(() => onlineOn(world, 'g1').join() === 's1', world.bound.totalMs),
    'g1 starts on s1',
  );
  world.netFault({ kind: 'partition', sides: [['s1'], ['s2']] });
  world.waitFor(() => world.violation !== null, world.bound.totalMs);
  assert.equal(world.violation?.invariant, 'safety');
  assert.match(world.violation?.message ?? '', /group g1 is active on s1 and s2 at once/);
});

test('with a lease after ping, the same cut leaves the group on one server', () => {
  const model = fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'] }], 'stop-service', false, [
    { kind: 'ping', targets: ['gw'], mode: 'any' },
    { kind: 'disk', device: '/dev/disk/by-id/shared-np' },
  ]);
  const world = new World(model, { seed: 1, factory: realEngine });
  world.setStartFailures(false);
  world.start();
  assert.ok(
    world.waitFor(() => onlineOn(world, 'g1').join() === 's1', world.bound.totalMs),
    'g1 starts on s1',
  );
  world.netFault({ kind: 'partition', sides: [['s1'], ['s2']] });
  world.runFor(world.bound.totalMs);
  assert.equal(world.violation, null);
  assert.deepEqual(onlineOn(world, 'g1'), ['s1']);
});

test('the first 2,001 seeds of the random sweep (sweep.test.ts, on 2, 3 and 5 servers) cover every safe method combination', () => {
  const seen = new Map<string, number>();
  for (let seed = 1; seed <= 2001; seed++) {
    const servers = [2, 3, 5][(seed - 1) % 3] as number;
    const model = generateModel(Rng.stream(seed, `model/${servers}`), servers);
    const kinds = model.partition.methods.map((m) => m.kind).join('+');
    seen.set(kinds, (seen.get(kinds) ?? 0) + 1);
  }
  const combos = ['majority', 'majority+disk', 'majority+witness', 'disk', 'witness', 'ping+disk'];
  for (const kinds of [...combos, 'majority+ping+witness', 'com+disk'])
    assert.ok((seen.get(kinds) ?? 0) >= 10, `only ${seen.get(kinds) ?? 0} schedules use ${kinds}`);
  assert.ok(![...seen.keys()].some((k) => k === 'ping' || k === 'com'), 'hazardous combinations stay out');
});
