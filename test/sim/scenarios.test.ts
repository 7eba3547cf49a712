import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realEngine } from '../../src/sim/engine-factory.js';
import { runScenario, scenarios } from '../../src/sim/scenarios.js';

const expected = [
  'active-crash',
  'standby-crash',
  'partition-2-1',
  'flapping-link',
  'move-during-partition',
  'both-crash-restart',
  'stop-during-failover',
  'disk-split-two-servers',
  'disk-holder-cut-off',
  'witness-even-split',
];

test('every named scenario is there', () => {
  assert.deepEqual(
    scenarios.map((s) => s.name),
    expected,
  );
});

for (const name of expected) {
  test(`scenario ${name}`, (t) => {
    const outcome = runScenario(name, realEngine);
    assert.ok(outcome.ok, `${outcome.message}\n${outcome.report}`);
    t.diagnostic(outcome.message);
  });
}

test('scenarios hold under other runtime seeds too (delays, durations, tick phases)', () => {
  const failures: string[] = [];
  for (const s of scenarios) {
    for (let seed = 2; seed <= 11; seed++) {
      const outcome = runScenario(s.name, realEngine, undefined, seed);
      if (!outcome.ok) failures.push(`${s.name} seed ${seed}: ${outcome.message}`);
    }
  }
  assert.deepEqual(failures, []);
});
