// The ocf monitor running the real heartbeat:Dummy agent's monitor action (resource-agents package).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { createOcfMonitor } from '../../../src/monitors/ocf.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { scratch } from '../resources/helpers.js';
import { monitorModel } from './helpers.js';

const hasDummy = {
  skip:
    !existsSync('/usr/lib/ocf/resource.d/heartbeat/Dummy') && 'the resource-agents package is not installed',
};

test(
  'ocf monitor: healthy while Dummy runs (its state file exists), failed with "not running" after',
  hasDummy,
  async (t) => {
    const s = scratch(t);
    const state = join(s.dir, 'dummy.state');
    const monitor = monitorModel('dummy-check', {
      type: 'ocf',
      intervalMs: 10_000,
      timeoutMs: 20_000,
      params: { agent: 'heartbeat:Dummy', params: { state }, ocfRoot: '/usr/lib/ocf' },
    });
    const driver = createOcfMonitor(monitor);
    const ctx = {
      monitor,
      processes: new ProcessTable(),
      logger: memoryLogger(),
      signal: new AbortController().signal,
    };
    const stopped = await driver.check(ctx);
    assert.equal(stopped.ok, false);
    assert.match(
      stopped.detail,
      /^ocf:heartbeat:Dummy monitor failed with exit code 7 \(program is not running\).*: not running$/,
    );
    writeFileSync(state, '');
    assert.deepEqual(await driver.check(ctx), { ok: true, detail: 'ocf:heartbeat:Dummy is running' });
  },
);

test('ocf monitor: a missing agent is a failed check that names the path', async () => {
  const monitor = monitorModel('missing', {
    type: 'ocf',
    intervalMs: 10_000,
    timeoutMs: 5_000,
    params: { agent: 'nosuch:Agent', ocfRoot: '/usr/lib/ocf' },
  });
  const result = await createOcfMonitor(monitor).check({
    monitor,
    processes: new ProcessTable(),
    logger: memoryLogger(),
    signal: new AbortController().signal,
  });
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /ocf:nosuch:Agent monitor failed with exit code 127 \(not found; check the path\)/,
  );
});
