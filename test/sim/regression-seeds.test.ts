// Schedules that once broke safety, kept as regression tests. Each was found by a sweep, and each
// names the engine rule it needs (docs/engine.md, "Claims that need no majority").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realEngine } from '../../src/sim/engine-factory.js';
import { runSeed } from '../../src/sim/run.js';
import { formatViolation } from '../../src/sim/report.js';

const seeds: [seed: number, servers: number, rule: string][] = [
  [1198, 2, 'a com win counts for claims only after the peer has had time to ask the serial line and fence'],
  [11330, 3, 'a claim without a majority waits until out-of-contact servers are presumed fenced'],
];

for (const [seed, servers, rule] of seeds) {
  test(`seed ${seed} on ${servers} servers stays safe: ${rule}`, () => {
    const result = runSeed({ seed, servers, factory: realEngine });
    assert.equal(result.violation, null, result.violation ? formatViolation(result, 40) : '');
  });
}
