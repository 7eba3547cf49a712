// The lsb resource against a real init script that the test writes: it starts a real background
// process, records its pid and answers status with LSB exit codes.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResourceModel } from '../../../src/engine/model.js';
import { createLsbDriver } from '../../../src/resources/lsb.js';
import { isAlive, pidFrom, resourceContext, scratch, waitFor, type Scratch } from './helpers.js';

/** An init script in the scratch dir; `startExit` lets a test make start fail with a given code. */
function initScript(s: Scratch, options: { startExit?: number; startDoesNothing?: boolean } = {}): string {
  const pidFile = join(s.dir, 'svc.pid');
  const path = join(s.dir, 'svc');
  const start = options.startDoesNothing
    ? 'exit 0'
    : `running && exit 0; setsid sleep 600 >/dev/null 2>&1 </dev/null & echo $! > '${pidFile}'; echo "started $!"; exit ${options.startExit ?? 0}`;
  writeFileSync(
    path,
    `#!/bin/sh
running() { [ -f '${pidFile}' ] && kill -0 "$(cat '${pidFile}')" 2>/dev/null; }
case "$1" in
  start) ${start} ;;
  stop) if [ -f '${pidFile}' ]; then kill "$(cat '${pidFile}')" 2>/dev/null; rm -f '${pidFile}'; fi; exit 0 ;;
  status) running && { echo running; exit 0; }; [ -f '${pidFile}' ] && exit 1; exit 3 ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function lsbResource(script: string): ResourceModel {
  return {
    name: 'svc',
    type: 'lsb',
    dependsOn: [],
    startTimeoutMs: 10_000,
    stopTimeoutMs: 10_000,
    params: { script },
  };
}

test('lsb: probe offline (status 3), start, probe online (status 0), stop, probe offline', async (t) => {
  const s = scratch(t);
  const script = initScript(s);
  const lsb = createLsbDriver();
  const { ctx, logger } = resourceContext(s, lsbResource(script));
  assert.equal(await lsb.probe(ctx), 'offline');
  assert.deepEqual(await lsb.start(ctx), {
    ok: true,
    detail: `${script} start done (${script} status exit code 0 (running))`,
  });
  const pid = await pidFrom(join(s.dir, 'svc.pid'));
  assert.ok(isAlive(pid));
  assert.ok(logger.records.some((r) => r.event === 'resource-output' && r.fields?.line === `started ${pid}`));
  assert.equal(await lsb.probe(ctx), 'online');
  assert.equal((await lsb.start(ctx)).ok, true);
  assert.equal(readFileSync(join(s.dir, 'svc.pid'), 'utf8').trim(), String(pid), 'started only once');
  const stopped = await lsb.stop({ ...ctx, event: 'STOP' });
  assert.equal(stopped.ok, true, stopped.detail);
  await waitFor(() => !isAlive(pid), 'the service process to exit');
  assert.equal(await lsb.probe(ctx), 'offline');
  assert.equal((await lsb.stop(ctx)).ok, true, 'stopping a stopped service succeeds');
});

test('lsb: status 1 (dead, pid file left) probes as unknown', async (t) => {
  const s = scratch(t);
  const script = initScript(s);
  writeFileSync(join(s.dir, 'svc.pid'), '999999999\n');
  const { ctx, logger } = resourceContext(s, lsbResource(script));
  assert.equal(await createLsbDriver().probe(ctx), 'unknown');
  const warning = logger.records.find((r) => r.event === 'resource-probe-unknown');
  assert.equal(warning?.fields?.detail, `${script} status exit code 1 (dead, but a pid file exists)`);
});

test('lsb: a failing start names the LSB meaning of its exit code', async (t) => {
  const s = scratch(t);
  const script = initScript(s, { startExit: 6 });
  const { ctx } = resourceContext(s, lsbResource(script));
  assert.deepEqual(await createLsbDriver().start(ctx), {
    ok: false,
    detail: `${script} start failed with exit code 6 (program is not configured; check the parameters and the service configuration)`,
  });
});

test('lsb: a start that exits 0 without starting anything fails on the status check', async (t) => {
  const s = scratch(t);
  const script = initScript(s, { startDoesNothing: true });
  const { ctx } = resourceContext(s, lsbResource(script));
  assert.deepEqual(await createLsbDriver().start(ctx), {
    ok: false,
    detail: `${script} start exited 0 but ${script} status exit code 3 (not running); check the script's status action`,
  });
});

test('lsb: a missing script fails with the shell saying so', async (t) => {
  const s = scratch(t);
  const missing = join(s.dir, 'no-such-script');
  const { ctx } = resourceContext(s, lsbResource(missing));
  const result = await createLsbDriver().start(ctx);
  assert.equal(result.ok, false);
  assert.match(result.detail, /start failed with exit code 127 \(not found; check the path\)/);
  assert.equal(existsSync(missing), false);
});
