// The simulator must catch a broken engine: with the move handshake or the takeover delay skipped,
// a sweep finds a safety violation, and its report names the seed and how to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realEngine } from '../../src/sim/engine-factory.js';
import { sweep } from '../../src/sim/sweep.js';
import { runSeed } from '../../src/sim/run.js';
import { formatViolation } from '../../src/sim/report.js';
import type { UnsafeOptions } from '../../src/sim/engine-port.js';

const cases: [string, UnsafeOptions][] = [
  ['skipMoveHandshake', { skipMoveHandshake: true }],
  ['skipTakeoverDelay', { skipTakeoverDelay: true }],
];

for (const [name, unsafe] of cases) {
  test(`a sweep catches the injected bug ${name}`, async (t) => {
    const result = await sweep({
      from: 1,
      count: 500,
      servers: [2, 3, 5],
      unsafe,
      factory: realEngine,
      maxViolations: 1,
    });
    const found = result.violations[0];
    assert.ok(found, `no violation in ${result.schedules} schedules with ${name}`);
    assert.equal(found.violation!.invariant, 'safety', found.violation!.message);
    const report = formatViolation(found);
    assert.match(report, new RegExp(`seed ${found.seed}\\b`));
    assert.ok(
      report.includes(`npm run sim -- --seed ${found.seed} --servers ${found.servers} --unsafe ${name}`),
      report,
    );
    assert.match(report, /active on s\d+ and s\d+ at once/);
    // The seed replays to the same violation at the same instant.
    const again = runSeed({ seed: found.seed, servers: found.servers, unsafe, factory: realEngine });
    assert.deepEqual(again.violation, found.violation);
    t.diagnostic(
      `found after ${result.schedules} schedules: seed ${found.seed}, ${found.servers} servers: ${found.violation!.message}`,
    );
  });
}
