// The monitor scheduler with fake drivers whose checks the tests control.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import type { MonitorModel } from '../../../src/engine/model.js';
import type { CheckResult, MonitorContext, MonitorDriver } from '../../../src/monitors/driver.js';
import { MonitorScheduler } from '../../../src/monitors/scheduler.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { waitFor } from '../resources/helpers.js';
import { collectResults, monitorModel } from './helpers.js';

type Check = (ctx: MonitorContext) => Promise<CheckResult>;

/** A driver per monitor name, counting check starts and how many run at once. */
function fakeDrivers(checks: Record<string, Check>) {
  const starts: Record<string, number[]> = {};
  let running = 0;
  let maxRunning = 0;
  let wake: (() => void) | undefined;
  const createDriver = (monitor: MonitorModel): MonitorDriver => ({
    async check(ctx) {
      (starts[monitor.name] ??= []).push(performance.now());
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await (checks[monitor.name] ?? (async () => ({ ok: true, detail: 'fine' })))(ctx);
      } finally {
        running -= 1;
      }
    },
    watch: (_ctx, wakeUp) => {
      wake = wakeUp;
      return () => (wake = undefined);
    },
  });
  return {
    createDriver,
    count: (name: string) => starts[name]?.length ?? 0,
    starts: (name: string) => starts[name] ?? [],
    maxRunning: () => maxRunning,
    wake: () => wake?.(),
  };
}

function schedulerFor(t: TestContext, monitors: MonitorModel[], drivers: ReturnType<typeof fakeDrivers>) {
  const { results, onResult } = collectResults();
  const logger = memoryLogger();
  const scheduler = new MonitorScheduler({
    monitors,
    processes: new ProcessTable(),
    logger,
    onResult,
    createDriver: drivers.createDriver,
  });
  t.after(() => scheduler.close());
  return { scheduler, results, logger };
}

test('active monitors run at their interval; inactive ones do not run', async (t) => {
  const drivers = fakeDrivers({});
  const monitors = [
    monitorModel('a', { intervalMs: 50, timeoutMs: 40 }),
    monitorModel('b', { intervalMs: 50, timeoutMs: 40 }),
  ];
  const { scheduler, results } = schedulerFor(t, monitors, drivers);
  scheduler.setActive(['a']);
  await waitFor(() => drivers.count('a') >= 6, 'six checks of a');
  assert.equal(drivers.count('b'), 0);
  const starts = drivers.starts('a');
  const meanGap = (starts[starts.length - 1] - starts[0]) / (starts.length - 1);
  assert.ok(meanGap >= 45 && meanGap < 150, `checks of a came every ${meanGap} ms instead of 50`);
  assert.deepEqual(results[0], { ...results[0], monitor: 'a', ok: true, detail: 'fine' });

  scheduler.setActive(['b']);
  const checksOfA = drivers.count('a');
  await waitFor(() => drivers.count('b') >= 3, 'three checks of b');
  assert.equal(drivers.count('a'), checksOfA, 'a kept running after it was deactivated');
  assert.deepEqual(scheduler.activeMonitors(), ['b']);
  assert.ok(scheduler.lateness().checks >= 5);
});

test('many monitors starting together have their first checks spread over the interval', async (t) => {
  const drivers = fakeDrivers({});
  const names = Array.from({ length: 40 }, (_, i) => `m${i}`);
  const monitors = names.map((name) => monitorModel(name, { intervalMs: 400, timeoutMs: 300 }));
  const { scheduler } = schedulerFor(t, monitors, drivers);
  const began = performance.now();
  scheduler.setActive(names);
  assert.equal(drivers.count('m0'), 1, 'the first monitor was not checked at once');
  await waitFor(() => names.every((name) => drivers.count(name) >= 1), 'a first check of every monitor');
  // Monitor i is due i/40 of the interval after the start; timers never fire early (1 ms rounding).
  for (const [i, name] of names.entries()) {
    const first = drivers.starts(name)[0] - began;
    assert.ok(first >= (i * 400) / 40 - 1, `${name} first ran after ${first} ms, before its turn`);
  }
  const last = drivers.starts('m39')[0] - began;
  assert.ok(last >= 380, `the first checks took only ${last} ms to all start: not spread`);
});

test('a check past its timeout is a failure, and the next check waits for it to finish', async (t) => {
  // This check ignores the abort signal and takes 300 ms, far past its 50 ms timeout.
  const slow: Check = () =>
    new Promise((resolve) => setTimeout(() => resolve({ ok: true, detail: 'late' }), 300));
  const drivers = fakeDrivers({ slow });
  const { scheduler, results } = schedulerFor(
    t,
    [monitorModel('slow', { intervalMs: 100, timeoutMs: 50 })],
    drivers,
  );
  scheduler.setActive(['slow']);
  await waitFor(() => drivers.count('slow') >= 2, 'a second check');
  assert.equal(drivers.maxRunning(), 1, 'checks of one monitor overlapped');
  const [first, second] = drivers.starts('slow');
  assert.ok(second - first >= 290, `the second check started ${second - first} ms after the first`);
  assert.equal(results[0].ok, false);
  assert.equal(results[0].detail, 'timed out after 50 ms');
  assert.ok(results[0].at - first < 250, 'the timeout was not reported at the deadline');
  assert.ok(
    results.every((r) => r.detail !== 'late'),
    'a result that came after the timeout was reported',
  );
  assert.match(results[1].detail, /^the previous check is still running [0-9]+ ms after it timed out$/);
});

test('a check that honours the abort signal stops at the timeout', async (t) => {
  let aborted = 0;
  const hang: Check = (ctx) =>
    new Promise((resolve) =>
      ctx.signal.addEventListener('abort', () => {
        aborted += 1;
        resolve({ ok: true, detail: 'aborted' });
      }),
    );
  const drivers = fakeDrivers({ hang });
  const { scheduler, results } = schedulerFor(
    t,
    [monitorModel('hang', { intervalMs: 60, timeoutMs: 30 })],
    drivers,
  );
  scheduler.setActive(['hang']);
  await waitFor(() => results.length >= 3, 'three results');
  assert.ok(aborted >= 2);
  assert.ok(results.every((r) => !r.ok && r.detail === 'timed out after 30 ms'));
});

test('a check that throws or rejects is a failed check', async (t) => {
  const drivers = fakeDrivers({
    throws: () => {
      throw new Error('boom');
    },
    rejects: async () => {
      throw new Error('bang');
    },
  });
  const monitors = [
    monitorModel('throws', { intervalMs: 1000, timeoutMs: 500 }),
    monitorModel('rejects', { intervalMs: 1000, timeoutMs: 500 }),
  ];
  const { scheduler, results } = schedulerFor(t, monitors, drivers);
  scheduler.setActive(['throws', 'rejects']);
  await waitFor(() => results.length >= 2, 'two results');
  assert.deepEqual(results.map((r) => [r.monitor, r.ok, r.detail]).sort(), [
    ['rejects', false, 'check failed: bang'],
    ['throws', false, 'check failed: boom'],
  ]);
});

test('a driver can wake its monitor for a check before the next interval', async (t) => {
  const drivers = fakeDrivers({});
  const { scheduler } = schedulerFor(
    t,
    [monitorModel('w', { intervalMs: 60_000, timeoutMs: 1000 })],
    drivers,
  );
  scheduler.setActive(['w']);
  await waitFor(() => drivers.count('w') === 1, 'the first check, right at activation');
  drivers.wake();
  await waitFor(() => drivers.count('w') === 2, 'a check right after the wake-up', 1000);
});

test('close stops every monitor; later setActive calls are ignored', async (t) => {
  const drivers = fakeDrivers({});
  const { scheduler, logger } = schedulerFor(
    t,
    [monitorModel('a', { intervalMs: 20, timeoutMs: 10 })],
    drivers,
  );
  scheduler.setActive(['a', 'nonexistent', 'nonexistent']);
  await waitFor(() => drivers.count('a') >= 2, 'two checks');
  await scheduler.close();
  const checks = drivers.count('a');
  scheduler.setActive(['a']);
  assert.deepEqual(scheduler.activeMonitors(), []);
  assert.equal(drivers.count('a'), checks);
  assert.equal(logger.records.filter((r) => r.event === 'monitor-unknown').length, 1);
});

test('a monitor type without a driver stops the scheduler from being built', () => {
  assert.throws(
    () =>
      new MonitorScheduler({
        monitors: [monitorModel('web-x', { type: 'nosuch', intervalMs: 1000, timeoutMs: 500 })],
        processes: new ProcessTable(),
        logger: memoryLogger(),
        onResult: () => {},
      }),
    /monitor type nosuch has no driver yet; types with drivers: .*pid/,
  );
});

test('delayWarning: an ok check slower than that share of the timeout passes with a warning', async (t) => {
  const delays: Record<string, number> = { quick: 0, slow: 120 };
  const drivers = fakeDrivers({
    quick: async () => ({ ok: true, detail: 'fine' }),
    slow: async () => {
      await new Promise((resolve) => setTimeout(resolve, delays.slow));
      return { ok: true, detail: 'fine' };
    },
  });
  const monitors = [
    monitorModel('quick', { intervalMs: 1000, timeoutMs: 400, delayWarning: 80 }),
    // 25% of 400 ms is 100 ms: the 120 ms check is slow.
    monitorModel('slow', { intervalMs: 1000, timeoutMs: 400, delayWarning: 25 }),
  ];
  const { scheduler, results } = schedulerFor(t, monitors, drivers);
  scheduler.setActive(['quick', 'slow']);
  await waitFor(() => results.some((r) => r.monitor === 'slow'), 'a result of slow');
  await waitFor(() => results.some((r) => r.monitor === 'quick'), 'a result of quick');
  const slow = results.find((r) => r.monitor === 'slow');
  const quick = results.find((r) => r.monitor === 'quick');
  assert.equal(slow?.ok, true);
  assert.equal(slow?.warning, true);
  assert.match(slow?.detail ?? '', /^fine \(slow: took \d+ ms, warning above 100 ms\)$/);
  assert.equal(quick?.ok, true);
  assert.notEqual(quick?.warning, true, 'a quick check warned');
  assert.equal(quick?.detail, 'fine');
});
