import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineInput, EngineOutput } from '../../src/engine/io.js';
import type { ClusterModel } from '../../src/engine/model.js';
import type { EngineFactory, EngineStartOptions } from '../../src/sim/engine-port.js';
import { realEngine } from '../../src/sim/engine-factory.js';
import { World } from '../../src/sim/world.js';
import { fixedModel, onlineOn } from '../../src/sim/scenarios.js';
import { runSeed, runToHealthy } from '../../src/sim/run.js';
import { formatViolation } from '../../src/sim/report.js';

/** The real engine with its outputs passed through `edit` (a deliberately broken shell-side view). */
function tampered(
  edit: (self: string, input: EngineInput, outputs: EngineOutput[]) => EngineOutput[],
): EngineFactory {
  return (model, self, options) => {
    const engine = realEngine(model, self, options);
    return { step: (input) => edit(self, input, engine.step(input)), view: () => engine.view() };
  };
}

function world(model: ClusterModel, factory: EngineFactory = realEngine, seed = 1): World {
  const w = new World(model, { seed, factory });
  w.setStartFailures(false);
  w.start();
  return w;
}

test('a seed replays exactly', () => {
  const a = runSeed({ seed: 7, servers: 3, factory: realEngine });
  const b = runSeed({ seed: 7, servers: 3, factory: realEngine });
  assert.equal(a.steps, b.steps);
  assert.equal(a.messages, b.messages);
  assert.deepEqual(a.trace, b.trace);
  assert.deepEqual(a.schedule, b.schedule);
  const c = runSeed({ seed: 8, servers: 3, factory: realEngine });
  assert.notDeepEqual(a.schedule, c.schedule);
});

test('groups start on their first policy server and the engine is ticked every 100 ms', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s2', 's1'] }]);
  const ticks: number[] = [];
  const w = world(
    model,
    tampered((self, input, out) => {
      if (self === 's1' && input.type === 'tick') ticks.push(input.now);
      return out;
    }),
  );
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's2', w.bound.totalMs));
  const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
  assert.ok(
    gaps.every((g) => g === 100),
    `tick gaps ${[...new Set(gaps)].join(',')}`,
  );
});

test('a crash kills the server resources; the restart gets the persisted state and the next incarnation', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }]);
  const starts: { self: string; options: EngineStartOptions }[] = [];
  const factory: EngineFactory = (m, self, options) => {
    starts.push({ self, options });
    return realEngine(m, self, options);
  };
  const w = world(model, factory);
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's1', w.bound.totalMs));
  w.runFor(1000);
  const persisted = w.node('s1').persisted;
  assert.ok(persisted && persisted.active['g1'] !== undefined, 's1 persisted g1 as active');
  w.crash('s1');
  assert.equal(w.truth.activeServers('g1').length, 0, 'crash kills the resources at once');
  assert.equal(w.node('s1').engine, null);
  assert.ok(
    w.waitFor(() => onlineOn(w, 'g1').length === 1, w.bound.totalMs),
    'g1 fails over',
  );
  w.restart('s1');
  const restart = starts.filter((s) => s.self === 's1').pop()!;
  assert.equal(restart.options.incarnation, 2);
  assert.deepEqual(restart.options.persisted?.active, persisted.active);
  w.runFor(10_000);
  assert.equal(w.violation, null);
});

test('a fenced server has its resources killed within the fence deadline', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }], 'stop-service');
  const w = world(model);
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's1', w.bound.totalMs));
  w.netFault({ kind: 'isolate', server: 's1' });
  let fencedAt: number | null = null;
  w.trace.live = (e) => {
    if (e.kind === 'fence' && e.who === 's1') fencedAt ??= e.at;
  };
  assert.ok(
    w.waitFor(() => fencedAt !== null, 10_000),
    's1 fences itself',
  );
  assert.ok(w.truth.isActive('s1', 'g1') || w.now - fencedAt! <= model.timing.fenceDeadlineMs);
  w.runUntil(fencedAt! + model.timing.fenceDeadlineMs);
  assert.equal(w.truth.isActive('s1', 'g1'), false, 'nothing left on s1 at the fence deadline');
  assert.equal(w.node('s1').up, true, 'stop-service keeps the agent up');
  assert.ok(
    w.waitFor(() => onlineOn(w, 'g1').length === 1 && !onlineOn(w, 'g1').includes('s1'), w.bound.totalMs),
  );
  assert.equal(w.violation, null);
});

test('a failed stop leaves the resource running until the engine fences it away', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'], resources: 1 }]);
  const w = world(model);
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's1', w.bound.totalMs));
  w.resourceFault({ server: 's1', group: 'g1', resource: null, action: 'stop', mode: 'fail' });
  let stopFailedAt: number | null = null;
  w.trace.live = (e) => {
    if (e.kind === 'stopped' && e.who === 's1' && e.text.includes('FAILED')) stopFailedAt ??= e.at;
  };
  w.operator({ op: 'group-move', group: 'g1', to: 's2' }, 's1');
  assert.ok(
    w.waitFor(() => stopFailedAt !== null, 5000),
    'the stop fails',
  );
  assert.equal(w.truth.get('s1', 'g1', 'r1'), 'online', 'still running after the failed stop');
  w.runUntil(stopFailedAt! + model.timing.fenceDeadlineMs);
  assert.equal(w.truth.isActive('s1', 'g1'), false, 'killed by the fence within its deadline');
  assert.ok(
    w.waitFor(() => onlineOn(w, 'g1').join() === 's2', w.bound.totalMs),
    'and then moves',
  );
  assert.equal(w.violation, null);
});

test('monitors run on their interval and a failing one climbs the recovery ladder', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'], resources: 1 }]);
  model.monitors.push({
    name: 'g1-mon',
    type: 'custom',
    target: { group: 'g1', resource: 'r1' },
    intervalMs: 500,
    timeoutMs: 2000,
    retries: 1,
    timing: 'active',
    recovery: { target: { group: 'g1', resource: 'r1' }, reactivate: 1, failover: 1, final: 'none' },
    params: {},
  });
  const results: number[] = [];
  const w = world(
    model,
    tampered((self, input, out) => {
      if (self === 's1' && input.type === 'monitor-result') results.push(input.now);
      return out;
    }),
  );
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's1', w.bound.totalMs));
  w.runFor(3000);
  assert.ok(results.length >= 5, `monitor ran ${results.length} times in 3 s`);
  w.monitorFault({ server: 's1', monitor: 'g1-mon' });
  const alerts: string[] = [];
  w.trace.live = (e) => {
    if (e.kind === 'alert') alerts.push(e.text);
  };
  assert.ok(
    w.waitFor(() => alerts.some((a) => a.includes('recovery-failover')), 20_000),
    alerts.join('\n'),
  );
  assert.ok(alerts.some((a) => a.includes('recovery-reactivate')));
  assert.ok(
    w.waitFor(() => onlineOn(w, 'g1').length === 1 && onlineOn(w, 'g1')[0] !== 's1', w.bound.totalMs),
  );
  assert.equal(w.violation, null);
});

test('the safety check catches a shell that starts a group on a second server', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'], resources: 1 }]);
  const rogue = tampered((self, input, out) => {
    if (self === 's2' && input.type === 'tick' && input.now >= 8000 && input.now < 8100) {
      return [
        ...out,
        { type: 'start-resource', group: 'g1', resource: 'r1', event: 'START', timeoutMs: 2000 },
      ];
    }
    return out;
  });
  const w = world(model, rogue);
  w.runUntil(20_000);
  assert.equal(w.violation?.invariant, 'safety');
  assert.match(w.violation!.message, /g1 is active on s1 and s2/);
});

test('the liveness check catches a group that never starts, with seed and replay command in the report', () => {
  const lazy = tampered((_self, _input, out) => out.filter((o) => o.type !== 'start-resource'));
  const result = runSeed({ seed: 3, servers: 3, factory: lazy });
  assert.equal(result.violation?.invariant, 'liveness');
  const report = formatViolation(result);
  assert.match(report, /seed 3/);
  assert.match(report, /npm run sim -- --seed 3 --servers 3/);
});

test('the ladder check catches counters above their limits', () => {
  const model = fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'], resources: 1 }]);
  model.monitors.push({
    name: 'm',
    type: 'custom',
    target: { group: 'g1', resource: 'r1' },
    intervalMs: 500,
    timeoutMs: 2000,
    retries: 0,
    timing: 'active',
    recovery: { target: { group: 'g1' }, reactivate: 1, failover: 0, final: 'none' },
    params: {},
  });
  const inflated = tampered((_self, _input, out) =>
    out.map((o) =>
      o.type === 'persist'
        ? { ...o, state: { ...o.state, ladder: { m: { reactivations: 2, failovers: 0, lastErrorAt: 0 } } } }
        : o,
    ),
  );
  const w = world(model, inflated);
  w.runUntil(10_000);
  assert.equal(w.violation?.invariant, 'ladder');
  assert.match(w.violation!.message, /monitor m has 2 reactivations, limit 1/);
});

test('an engine that throws is reported, not crashed on', () => {
  const model = fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'] }]);
  const broken: EngineFactory = (m, self, options) => {
    const engine = realEngine(m, self, options);
    return {
      step: (input) => {
        if (input.now > 3000 && self === 's2') throw new Error('boom');
        return engine.step(input);
      },
      view: () => engine.view(),
    };
  };
  const w = world(model, broken);
  w.runUntil(10_000);
  assert.equal(w.violation?.invariant, 'engine-error');
  assert.match(w.violation!.message, /engine of s2 threw on .*boom/s);
});

test('after the heal, crashed servers restart and a suspended cluster is resumed', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }]);
  const w = world(model);
  assert.ok(w.waitFor(() => onlineOn(w, 'g1').join() === 's1', w.bound.totalMs));
  w.operator({ op: 'cluster-suspend' }, 's2');
  w.runFor(2000);
  w.crash('s1');
  w.runFor(15_000);
  assert.deepEqual(onlineOn(w, 'g1'), [], 'suspended: no failover');
  w.heal();
  assert.equal(w.node('s1').up, true);
  runToHealthy(w, w.now);
  assert.equal(w.violation, null, w.violation?.message);
  assert.equal(w.view('s1')?.service, 'running');
  assert.equal(onlineOn(w, 'g1').length, 1);
});
