// The exec resource with short-running commands, run for real through /bin/sh.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createExecDriver } from '../../../src/resources/exec.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { execResource, isAlive, pidFrom, resourceContext, scratch } from './helpers.js';

const driver = () => createExecDriver({ processes: new ProcessTable() }, { killGraceMs: 200 });

test('a start command that exits 0 succeeds', async (t) => {
  const s = scratch(t);
  const { ctx } = resourceContext(s, execResource('app', { start: 'true' }));
  assert.deepEqual(await driver().start(ctx), { ok: true, detail: 'start command exited with code 0' });
});

test('a start command that exits non-zero fails with its exit code and last output', async (t) => {
  const s = scratch(t);
  const { ctx } = resourceContext(s, execResource('app', { start: 'echo "no config found" >&2; exit 3' }));
  const result = await driver().start(ctx);
  assert.equal(result.ok, false);
  assert.equal(result.detail, 'start command exited with code 3 (last output: no config found)');
});

test('stop runs the stop command and reports its exit code; without one it succeeds', async (t) => {
  const s = scratch(t);
  const exec = driver();
  const failing = resourceContext(s, execResource('app', { start: 'true', stop: 'exit 5' }), {
    event: 'STOP',
  });
  assert.deepEqual(await exec.stop(failing.ctx), { ok: false, detail: 'stop command exited with code 5' });
  const working = resourceContext(s, execResource('app', { start: 'true', stop: 'exit 0' }), {
    event: 'STOP',
  });
  assert.equal((await exec.stop(working.ctx)).ok, true);
  const none = resourceContext(s, execResource('app', { start: 'true' }), { event: 'STOP' });
  assert.deepEqual(await exec.stop(none.ctx), { ok: true, detail: 'no stop command' });
});

test('commands get the agent environment, the resource env and the VIGIL_* variables', async (t) => {
  const s = scratch(t);
  const out = join(s.dir, 'env.txt');
  process.env.VIGIL_TEST_AGENT_VARIABLE = 'from-agent';
  t.after(() => delete process.env.VIGIL_TEST_AGENT_VARIABLE);
  const names = [
    'VIGIL_EVENT',
    'VIGIL_CLUSTER',
    'VIGIL_GROUP',
    'VIGIL_RESOURCE',
    'VIGIL_SERVER',
    'APP_PORT',
    'VIGIL_TEST_AGENT_VARIABLE',
  ];
  const script = `for v in ${names.join(' ')}; do eval "echo $v=\\$$v"; done > '${out}'`;
  const resource = execResource('app', {
    start: script,
    env: { APP_PORT: '8080', VIGIL_EVENT: 'overridden?' },
  });
  const { ctx } = resourceContext(s, resource, { event: 'FAILOVER' });
  assert.equal((await driver().start(ctx)).ok, true);
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), [
    'VIGIL_EVENT=FAILOVER',
    'VIGIL_CLUSTER=test-cluster',
    'VIGIL_GROUP=web',
    'VIGIL_RESOURCE=app',
    'VIGIL_SERVER=s1',
    'APP_PORT=8080',
    'VIGIL_TEST_AGENT_VARIABLE=from-agent',
  ]);
});

test('a timeout kills the whole process group, grandchildren included', async (t) => {
  const s = scratch(t);
  const grandchildFile = join(s.dir, 'grandchild.pid');
  // The shell starts a child shell, which starts a grandchild; all wait far past the timeout.
  const script = `sh -c 'sleep 30 & echo $! > ${grandchildFile}; wait' & wait`;
  const { ctx } = resourceContext(s, execResource('app', { start: script }), { timeoutMs: 300 });
  const started = performance.now();
  const result = await driver().start(ctx);
  const grandchild = await pidFrom(grandchildFile);
  assert.equal(result.ok, false);
  assert.equal(result.detail, 'start command timed out after 300 ms (its process group was killed)');
  assert.equal(isAlive(grandchild), false, `grandchild ${grandchild} survived the timeout`);
  assert.ok(performance.now() - started < 3000, 'the timeout did not end the command promptly');
});

test('a command that ignores SIGTERM is killed with SIGKILL after the grace time', async (t) => {
  const s = scratch(t);
  const childFile = join(s.dir, 'child.pid');
  // Ignored signals are inherited: the sleep ignores SIGTERM too.
  const script = `trap '' TERM; sleep 30 & echo $! > ${childFile}; wait`;
  const { ctx } = resourceContext(s, execResource('app', { start: script }), { timeoutMs: 300 });
  const result = await driver().start(ctx);
  assert.equal(result.ok, false);
  assert.match(result.detail, /timed out after 300 ms/);
  assert.equal(isAlive(await pidFrom(childFile)), false);
});

test('output lines reach the logger with the group and resource names', async (t) => {
  const s = scratch(t);
  const { ctx, logger } = resourceContext(
    s,
    execResource('app', { start: 'echo first line; echo second line >&2; printf "no newline"' }),
  );
  assert.equal((await driver().start(ctx)).ok, true);
  const lines = logger.records
    .filter((r) => r.event === 'resource-output')
    .map((r) => ({ ...r.fields }))
    .sort((a, b) => String(a.line).localeCompare(String(b.line)));
  assert.deepEqual(lines, [
    { group: 'web', resource: 'app', command: 'start', stream: 'stdout', line: 'first line' },
    { group: 'web', resource: 'app', command: 'start', stream: 'stdout', line: 'no newline' },
    { group: 'web', resource: 'app', command: 'start', stream: 'stderr', line: 'second line' },
  ]);
});

test('kill ends a start command in flight at once', async (t) => {
  const s = scratch(t);
  const childFile = join(s.dir, 'child.pid');
  const { ctx } = resourceContext(
    s,
    execResource('app', { start: `sleep 30 & echo $! > ${childFile}; wait` }),
    {
      timeoutMs: 60_000,
    },
  );
  const exec = driver();
  const starting = exec.start(ctx);
  const child = await pidFrom(childFile);
  await exec.kill(ctx);
  const result = await starting;
  assert.deepEqual(result, { ok: false, detail: 'start command was killed (fencing)' });
  assert.equal(isAlive(child), false);
});

test('probe of a short-running resource is unknown', async (t) => {
  const s = scratch(t);
  const { ctx } = resourceContext(s, execResource('app', { start: 'true' }));
  assert.equal(await driver().probe(ctx), 'unknown');
});

test('a resource without a start command fails with a clear detail instead of throwing', async (t) => {
  const s = scratch(t);
  const { ctx } = resourceContext(s, execResource('app', {}));
  assert.deepEqual(await driver().start(ctx), {
    ok: false,
    detail: 'start of web/app failed: exec resource has no start command',
  });
});
