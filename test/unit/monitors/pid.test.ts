// The pid monitor watching a real long-running exec resource.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { MonitorScheduler } from '../../../src/monitors/scheduler.js';
import { createExecDriver } from '../../../src/resources/exec.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { execResource, resourceContext, scratch, waitFor, type Scratch } from '../resources/helpers.js';
import { collectResults, monitorModel } from './helpers.js';

/** An exec resource web/app with `start`, and a pid monitor on it whose interval is far too long to matter. */
function setup(t: TestContext, s: Scratch, start: string) {
  const processes = new ProcessTable();
  const exec = createExecDriver({ processes }, { settleMs: 100, killWaitMs: 2000 });
  const { ctx } = resourceContext(s, execResource('app', { start, longRunning: true }));
  const { results, onResult } = collectResults();
  const monitor = monitorModel('app-pid', {
    type: 'pid',
    target: { group: 'web', resource: 'app' },
    intervalMs: 60_000,
    timeoutMs: 1000,
  });
  const scheduler = new MonitorScheduler({
    monitors: [monitor],
    processes,
    logger: memoryLogger(),
    onResult,
  });
  t.after(async () => {
    await scheduler.close();
    await exec.kill(ctx);
  });
  return { processes, exec, ctx, results, scheduler };
}

test('pid is ok while the process runs and reports its exit code at once when it exits', async (t) => {
  const s = scratch(t);
  const exitNow = join(s.dir, 'exit-now');
  const { exec, ctx, results, scheduler, processes } = setup(
    t,
    s,
    `while [ ! -e ${exitNow} ]; do sleep 0.02; done; exit 4`,
  );
  assert.equal((await exec.start(ctx)).ok, true);
  const status = processes.status('web', 'app');
  assert.equal(status.state, 'running');
  const pid = status.state === 'running' ? status.pid : 0;
  scheduler.setActive(['app-pid']);
  await waitFor(() => results.length === 1, 'the first check');
  assert.deepEqual(results[0], { ...results[0], ok: true, detail: `process ${pid} of web/app is running` });

  const exitedAt = performance.now();
  writeFileSync(exitNow, '');
  await waitFor(() => results.length === 2, 'a check right after the exit', 2000);
  assert.deepEqual(results[1], {
    ...results[1],
    ok: false,
    detail: `process ${pid} of web/app exited with code 4`,
  });
  assert.ok(results[1].at - exitedAt < 1000, 'the exit was reported late');
});

test('pid reports a process killed by a signal', async (t) => {
  const s = scratch(t);
  const { exec, ctx, results, scheduler, processes } = setup(t, s, 'exec sleep 30');
  assert.equal((await exec.start(ctx)).ok, true);
  const status = processes.status('web', 'app');
  const pid = status.state === 'running' ? status.pid : assert.fail('not running');
  scheduler.setActive(['app-pid']);
  await waitFor(() => results.length === 1, 'the first check');
  process.kill(pid, 'SIGKILL');
  await waitFor(() => results.length === 2, 'a check right after the kill', 2000);
  assert.equal(results[1].detail, `process ${pid} of web/app was killed by SIGKILL`);
});

test('pid fails when its resource has no process here, and a deliberate stop is not reported', async (t) => {
  const s = scratch(t);
  const { exec, ctx, results, scheduler } = setup(t, s, 'exec sleep 30');
  scheduler.setActive(['app-pid']);
  await waitFor(() => results.length === 1, 'the first check');
  assert.deepEqual(results[0], { ...results[0], ok: false, detail: 'web/app has no process running here' });

  assert.equal((await exec.start(ctx)).ok, true);
  assert.equal((await exec.stop(ctx)).ok, true);
  // Had the exit caused by the stop woken the monitor, results[1] would be that failure.
  assert.equal((await exec.start(ctx)).ok, true);
  scheduler.setActive([]);
  scheduler.setActive(['app-pid']);
  await waitFor(() => results.length === 2, 'a check after reactivation');
  assert.equal(results[1].ok, true, `unexpected: ${results[1].detail}`);
});
