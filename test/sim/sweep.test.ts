// The random sweep: at least 2,000 seeded fault schedules over 2, 3 and 5 servers, zero violations.
// Runs on two worker threads; the figures go to the test diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { sweep } from '../../src/sim/sweep.js';
import { formatViolation } from '../../src/sim/report.js';

const count = 10_001;

test(`random sweep: ${count} schedules over 2, 3 and 5 servers, no violation`, async (t) => {
  const jobs = Math.max(2, Math.min(4, availableParallelism()));
  const result = await sweep({ from: 1, count, servers: [2, 3, 5], jobs });
  t.diagnostic(
    `${result.schedules} schedules, ${result.violations.length} violations in ${(result.wallMs / 1000).toFixed(1)} s wall (${jobs} workers), ${(result.simulatedMs / 1000).toFixed(0)} s simulated, ${result.steps} engine steps`,
  );
  assert.equal(result.schedules, count);
  const reports = result.violations.slice(0, 3).map((v) => formatViolation(v, 40));
  assert.equal(
    result.violations.length,
    0,
    `${result.violations.length} violations; seeds ${result.violations.map((v) => `${v.seed} (${v.servers} servers, ${v.violation!.invariant})`).join(', ')}\n\n${reports.join('\n\n')}`,
  );
});
