// custom with real scripts: exit status and last output line in the detail, arguments passed safely,
// a timeout that kills the whole process group, and long-running scripts watched until they exit.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { MonitorScheduler } from '../../../src/monitors/scheduler.js';
import { isProcessRunning } from '../../../src/resources/proc.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { scriptSpawner } from '../../../src/resources/script-spawner.js';
import { pidFrom, scratch, waitFor } from '../resources/helpers.js';
import { checkOnce, collectResults, monitorModel } from './helpers.js';

test('custom is ok on exit status 0 and shows the last line of output', async () => {
  const result = await checkOnce('custom', { script: 'echo starting; echo all good' });
  assert.equal(result.ok, true);
  assert.match(result.detail, /^script exited with code 0 in \d+ ms: all good$/);
});

test('custom fails on another exit status, with the last line (stderr too)', async () => {
  const result = await checkOnce('custom', { script: 'echo "disk full on /srv" >&2; exit 3' });
  assert.equal(result.ok, false);
  assert.match(result.detail, /^script exited with code 3 in \d+ ms: disk full on \/srv$/);
});

test('custom runs the script from the script spawner, not the agent, with VIGIL_MONITOR set', async () => {
  const result = await checkOnce('custom', { script: 'echo "$VIGIL_MONITOR from $PPID"' });
  assert.equal(result.ok, true, result.detail);
  const parent = Number(/: test-custom from (\d+)$/.exec(result.detail)?.[1]);
  assert.equal(parent, scriptSpawner.pid);
  assert.notEqual(parent, process.pid);
});

test('custom passes args to the script untouched by the shell', async (t) => {
  const s = scratch(t);
  const script = join(s.dir, 'check.sh');
  writeFileSync(script, '#!/bin/sh\necho "got [$1] [$2]"\n', { mode: 0o755 });
  const result = await checkOnce('custom', { script, args: [`it's $HOME`, 'a b;exit 1'] });
  assert.equal(result.ok, true, result.detail);
  assert.match(result.detail, /: got \[it's \$HOME\] \[a b;exit 1\]$/);
});

test('custom kills the whole process group of a script that runs past the timeout', async (t) => {
  const s = scratch(t);
  const pidFile = join(s.dir, 'child.pid');
  const began = performance.now();
  const result = await checkOnce(
    'custom',
    { script: `sleep 30 & echo $! > ${pidFile}; echo waiting; wait` },
    500,
  );
  assert.equal(result.ok, false);
  assert.match(result.detail, /^script timed out after \d+ ms \(killed\): waiting$/);
  assert.ok(performance.now() - began < 4000, 'the check did not give up promptly');
  const child = await pidFrom(pidFile);
  await waitFor(() => !isProcessRunning(child), 'the background child of the script to be killed');
});

/** A scheduler running one long-running custom monitor. */
function longRunning(t: TestContext, script: string) {
  const { results, onResult } = collectResults();
  const monitor = monitorModel('lr', {
    type: 'custom',
    intervalMs: 60_000,
    timeoutMs: 3000,
    params: { script, longRunning: true },
  });
  const scheduler = new MonitorScheduler({
    monitors: [monitor],
    processes: new ProcessTable(),
    logger: memoryLogger(),
    onResult,
  });
  t.after(() => scheduler.close());
  return { results, scheduler };
}

test('long-running custom is ok while the script runs and fails at once when it exits', async (t) => {
  const s = scratch(t);
  const stop = join(s.dir, 'stop');
  const { results, scheduler } = longRunning(
    t,
    `echo $$ > ${s.dir}/lr.pid; while [ ! -e ${stop} ]; do sleep 0.05; done; echo "lost the upstream"; exit 2`,
  );
  scheduler.setActive(['lr']);
  await waitFor(() => results.length === 1, 'the first check');
  const pid = await pidFrom(join(s.dir, 'lr.pid'));
  assert.deepEqual(results[0], { ...results[0], ok: true, detail: `script started as pid ${pid}` });

  writeFileSync(stop, '');
  await waitFor(() => results.length === 2, 'a check right after the exit', 3000);
  assert.deepEqual(results[1], {
    ...results[1],
    ok: false,
    detail: `script pid ${pid} exited with code 2: lost the upstream`,
  });
});

test('long-running custom stops its script when the monitor is deactivated', async (t) => {
  const s = scratch(t);
  const { results, scheduler } = longRunning(t, `echo $$ > ${s.dir}/lr.pid; exec sleep 30`);
  scheduler.setActive(['lr']);
  await waitFor(() => results.length === 1, 'the first check');
  assert.equal(results[0]?.ok, true, results[0]?.detail);
  const pid = await pidFrom(join(s.dir, 'lr.pid'));
  assert.ok(isProcessRunning(pid));
  scheduler.setActive([]);
  await waitFor(() => !isProcessRunning(pid), 'the script to be killed on deactivation');
  assert.equal(results.length, 1, 'its exit must not be reported as a failure');
});

test('long-running custom fails when the script exits right after starting', async () => {
  const result = await checkOnce('custom', { script: 'echo "bad config line 3"; exit 1', longRunning: true });
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^script pid \d+ exited with code 1 right after it started: bad config line 3$/,
  );
});

test('custom fails at once, killing the script, when the script spawner dies under it', async (t) => {
  const s = scratch(t);
  const pidFile = join(s.dir, 'child.pid');
  const running = checkOnce('custom', { script: `sleep 30 & echo $! > ${pidFile}; wait` });
  const child = await pidFrom(pidFile);
  process.kill(scriptSpawner.pid ?? 0, 'SIGKILL');
  const result = await running;
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^script was killed with its process group because the script spawner \(pid \d+\) was killed by SIGKILL in \d+ ms$/,
  );
  await waitFor(() => !isProcessRunning(child), 'the script to be killed');
});
