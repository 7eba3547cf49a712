// The faults a drill injects on one agent, and their reverts (by time, on demand), against real
// processes for process-stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../../src/agent/logger.js';
import { DrillFaults } from '../../../src/agent/drill-faults.js';
import { pidFilePath, writePidFile } from '../../../src/resources/pid-file.js';
import { isProcessRunning } from '../../../src/resources/proc.js';
import { waitFor } from '../../process/cluster/harness.js';

test('dummy failure: on until its time is up; logged injected and reverted', async () => {
  const logger = memoryLogger();
  const faults = new DrillFaults(logger, tmpdir());
  faults.apply({ drill: 'd1', kind: 'dummy-failure', target: 'web-pid', durationMs: 50 });
  assert.equal(faults.hasDummyFailure('web-pid'), true);
  assert.equal(faults.hasDummyFailure('other'), false);
  await waitFor('the revert by time', () => !faults.hasDummyFailure('web-pid'), 5000, 10);
  assert.deepEqual(
    logger.records.map((r) => [r.event, r.fields?.why]),
    [
      ['drill-fault-injected', undefined],
      ['drill-fault-reverted', 'time'],
    ],
  );
});

test('heartbeat loss: muted until reverted on demand; a manual switch stays until switched off', () => {
  const faults = new DrillFaults(memoryLogger(), tmpdir());
  faults.apply({ drill: 'd2', kind: 'heartbeat-loss', target: 's1', durationMs: 60_000 });
  faults.apply({ drill: 'manual', kind: 'dummy-failure', target: 'm', durationMs: 0 });
  assert.equal(faults.heartbeatsMuted, true);
  assert.equal(faults.revertDrill('d2', 'on demand'), 1);
  assert.equal(faults.heartbeatsMuted, false);
  assert.equal(faults.hasDummyFailure('m'), true);
  assert.equal(faults.revertDummy('m', 'switched off'), 1);
  assert.equal(faults.revertAll('agent stopping'), 0);
});

test('process stop: SIGSTOP stops the service process and the revert continues it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-faults-'));
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const pid = child.pid as number;
    writePidFile(pidFilePath(dir, 'web', 'svc'), {
      pid,
      pgid: pid,
      startTime: '0',
      command: 'sleep 30',
      startedAt: new Date().toISOString(),
      output: '/dev/null',
    });
    const faults = new DrillFaults(memoryLogger(), dir);
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
    faults.apply({ drill: 'd3', kind: 'process-stop', target: 'web/svc', durationMs: 0, signal: 'SIGSTOP' });
    await waitFor('the process stopped', () => state() === 'T', 5000, 10);
    faults.revertDrill('d3', 'on demand');
    await waitFor('the process continued', () => state() === 'S' || state() === 'R', 5000, 10);
    faults.apply({ drill: 'd4', kind: 'process-stop', target: 'web/svc', durationMs: 0 });
    await waitFor('the process killed', () => child.exitCode !== null || child.signalCode !== null, 5000, 10);
    assert.equal(child.signalCode, 'SIGKILL');
    assert.equal(isProcessRunning(pid), false);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('process stop without a pid file is an error that says what to check', () => {
  const faults = new DrillFaults(memoryLogger(), tmpdir());
  assert.throws(
    () => faults.apply({ drill: 'd5', kind: 'process-stop', target: 'web/none', durationMs: 0 }),
    /no long-running process of web\/none here \(no pid file\)/,
  );
  assert.throws(
    () => faults.apply({ drill: 'd6', kind: 'process-stop', target: 'svc', durationMs: 0 }),
    /needs GROUP\/RESOURCE/,
  );
});
