// The exec resource with longRunning: true: a real service process in its own process group.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createExecDriver } from '../../../src/resources/exec.js';
import { pidFilePath, readPidFile } from '../../../src/resources/pid-file.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import {
  execResource,
  isAlive,
  pidFrom,
  resourceContext,
  scratch,
  waitFor,
  type Scratch,
} from './helpers.js';

function setup(s: Scratch, params: Record<string, unknown>, timeoutMs = 5000) {
  const processes = new ProcessTable();
  const exec = createExecDriver({ processes }, { settleMs: 150, killGraceMs: 200, killWaitMs: 2000 });
  const { ctx, logger } = resourceContext(s, execResource('app', { longRunning: true, ...params }), {
    timeoutMs,
  });
  const pidFile = pidFilePath(s.stateDir, 'web', 'app');
  return { processes, exec, ctx, logger, pidFile };
}

test('start launches the process, records it in a pid file and the process table; probe sees it', async (t) => {
  const s = scratch(t);
  const { processes, exec, ctx, pidFile } = setup(s, { start: 'exec sleep 30' });
  const result = await exec.start(ctx);
  const record = readPidFile(pidFile);
  assert.ok(record !== undefined, 'no pid file');
  s.track(record.pgid);
  assert.deepEqual(result, { ok: true, detail: `running as pid ${record.pid}` });
  assert.equal(record.pgid, record.pid, 'the process leads its own group');
  assert.equal(record.command, 'exec sleep 30');
  assert.ok(isAlive(record.pid));
  assert.deepEqual(processes.status('web', 'app'), { state: 'running', pid: record.pid, pgid: record.pgid });
  assert.equal(await exec.probe(ctx), 'online');
  assert.deepEqual(await exec.start(ctx), { ok: true, detail: `already running as pid ${record.pid}` });
});

test('a process that exits during the settle time fails the start with its exit code and output', async (t) => {
  const s = scratch(t);
  const { exec, ctx, pidFile } = setup(s, { start: 'echo "port 80 in use"; exit 7' });
  const result = await exec.start(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    'start command exited with code 7 within 150 ms of starting (last output: port 80 in use)',
  );
  assert.equal(existsSync(pidFile), false);
  assert.equal(await exec.probe(ctx), 'offline');
});

test('output of the long-running process reaches the logger', async (t) => {
  const s = scratch(t);
  const { exec, ctx, logger } = setup(s, { start: 'echo ready; echo warming up >&2; exec sleep 30' });
  assert.equal((await exec.start(ctx)).ok, true);
  const lines = () =>
    logger.records
      .filter((r) => r.event === 'resource-output' && r.fields.resource === 'app')
      .map((r) => r.fields.line);
  await waitFor(() => lines().length >= 2, 'two output lines');
  assert.deepEqual(lines(), ['ready', 'warming up']);
  await exec.kill(ctx);
});

test('stop runs the stop command, then SIGTERMs the group; the pid file goes away', async (t) => {
  const s = scratch(t);
  const marker = join(s.dir, 'stop-ran');
  const workerFile = join(s.dir, 'worker.pid');
  const { processes, exec, ctx, logger, pidFile } = setup(s, {
    start: `sleep 30 & echo $! > ${workerFile}; wait`,
    stop: `echo "$VIGIL_EVENT" > ${marker}`,
  });
  assert.equal((await exec.start(ctx)).ok, true);
  const record = readPidFile(pidFile);
  assert.ok(record);
  const worker = await pidFrom(workerFile);
  const result = await exec.stop({ ...ctx, event: 'STOP' });
  assert.deepEqual(result, { ok: true, detail: `stopped pid ${record.pid}` });
  assert.equal(readFileSync(marker, 'utf8'), 'STOP\n');
  assert.equal(isAlive(record.pid), false);
  assert.equal(isAlive(worker), false, 'the worker in the same group survived');
  assert.equal(existsSync(pidFile), false);
  assert.deepEqual(processes.status('web', 'app'), { state: 'none' });
  assert.equal(await exec.probe(ctx), 'offline');
  assert.deepEqual(await exec.stop(ctx), {
    ok: true,
    detail: 'not running (stop command exited with code 0)',
  });
  assert.ok(
    !logger.records.some((r) => r.event === 'resource-process-exited'),
    'a deliberate stop was logged',
  );
});

test('a process that dies on its own shows as exited in the process table and is logged', async (t) => {
  const s = scratch(t);
  const { processes, exec, ctx, logger, pidFile } = setup(s, { start: 'exec sleep 30' });
  assert.equal((await exec.start(ctx)).ok, true);
  const record = readPidFile(pidFile);
  assert.ok(record);
  process.kill(record.pid, 'SIGKILL');
  // The kernel may show the process gone a moment before node reports how it exited.
  const exitKnown = () => {
    const status = processes.status('web', 'app');
    return status.state === 'exited' && status.exit !== undefined;
  };
  await waitFor(exitKnown, 'the exit status to show');
  assert.deepEqual(processes.status('web', 'app'), {
    state: 'exited',
    pid: record.pid,
    pgid: record.pgid,
    exit: { code: null, signal: 'SIGKILL' },
  });
  await waitFor(() => logger.records.some((r) => r.event === 'resource-process-exited'), 'a warning');
  assert.equal(await exec.probe(ctx), 'offline');
  assert.deepEqual(await exec.stop(ctx), { ok: true, detail: `stopped pid ${record.pid}` });
  assert.equal(existsSync(pidFile), false);
});

test('stop escalates to SIGKILL when the process ignores SIGTERM past the stop timeout', async (t) => {
  const s = scratch(t);
  const { exec, ctx, logger, pidFile } = setup(s, { start: "trap '' TERM; while :; do sleep 1; done" }, 400);
  assert.equal((await exec.start(ctx)).ok, true);
  const record = readPidFile(pidFile);
  assert.ok(record);
  const began = performance.now();
  const result = await exec.stop(ctx);
  assert.equal(result.ok, true);
  assert.equal(
    result.detail,
    `stopped pid ${record.pid} with SIGKILL: it was still running at the 400 ms stop timeout`,
  );
  assert.ok(performance.now() - began >= 350, 'SIGKILL came before the stop timeout');
  assert.equal(isAlive(record.pid), false);
  assert.ok(logger.records.some((r) => r.event === 'resource-stop-escalated' && r.level === 'warn'));
});

test('kill SIGKILLs the group at once and forgets the process', async (t) => {
  const s = scratch(t);
  const { processes, exec, ctx, pidFile } = setup(s, { start: "trap '' TERM; exec sleep 30" });
  assert.equal((await exec.start(ctx)).ok, true);
  const record = readPidFile(pidFile);
  assert.ok(record);
  await exec.kill(ctx);
  assert.equal(isAlive(record.pid), false);
  assert.equal(existsSync(pidFile), false);
  assert.deepEqual(processes.status('web', 'app'), { state: 'none' });
});

test('after an agent restart, probe finds the process through its pid file and stop stops it', async (t) => {
  const s = scratch(t);
  const before = setup(s, { start: 'exec sleep 30' });
  assert.equal((await before.exec.start(before.ctx)).ok, true);
  const record = readPidFile(before.pidFile);
  assert.ok(record);
  // A new driver and process table over the same state directory: what a restarted agent has.
  const after = setup(s, { start: 'exec sleep 30' });
  assert.equal(await after.exec.probe(after.ctx), 'online');
  assert.deepEqual(after.processes.status('web', 'app'), {
    state: 'running',
    pid: record.pid,
    pgid: record.pgid,
  });
  assert.ok(after.logger.records.some((r) => r.event === 'resource-process-adopted'));
  assert.deepEqual(await after.exec.stop(after.ctx), { ok: true, detail: `stopped pid ${record.pid}` });
  assert.equal(isAlive(record.pid), false);
});

test('a stale pid file (process gone) probes offline and is removed', async (t) => {
  const s = scratch(t);
  const { exec, ctx, pidFile } = setup(s, { start: 'exec sleep 30' });
  assert.equal((await exec.start(ctx)).ok, true);
  const record = readPidFile(pidFile);
  assert.ok(record);
  await exec.kill(ctx);
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, JSON.stringify(record)); // as if the agent died before removing it
  const restarted = setup(s, { start: 'exec sleep 30' });
  assert.equal(await restarted.exec.probe(restarted.ctx), 'offline');
  assert.equal(existsSync(pidFile), false);
});

test('an unreadable pid file makes probe unknown and stop fail, naming the file', async (t) => {
  const s = scratch(t);
  const { exec, ctx, pidFile } = setup(s, { start: 'exec sleep 30' });
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, '{"pid": "not a number"');
  assert.equal(await exec.probe(ctx), 'unknown');
  const result = await exec.stop(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    `pid file ${pidFile} is not valid JSON; stop the process by hand, then remove the file`,
  );
});
