// The systemd driver against a recording fake systemctl / journalctl.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createSystemdDriver } from '../../../src/resources/systemd.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch, waitFor } from './helpers.js';

const SHOW = ['show', '-p', 'Result,ActiveState,SubState,ExecMainStatus', 'web.service'];
const JOURNAL = ['-u', 'web.service', '-n', '10', '--no-pager'];

function setup(t: TestContext, systemctl: FakeRule[], timeoutMs = 5000) {
  const fake = new FakeBin(t)
    .tool('systemctl', [
      ...systemctl,
      {
        args: SHOW,
        stdout: 'Result=exit-code\nActiveState=failed\nSubState=failed\nExecMainStatus=1\n',
      },
    ])
    .tool('journalctl', [
      {
        args: JOURNAL,
        stdout:
          'Nov 22 04:20:01 s1 web[812]: bind: Address already in use\nNov 22 04:20:01 s1 systemd[1]: web.service: Failed with result exit-code.\n',
      },
    ]);
  const driver = createSystemdDriver({ env: fake.env(), pollMs: 20 });
  const { ctx } = resourceContext(scratch(t), toolResource('systemd', 'web', { unit: 'web.service' }), {
    timeoutMs,
  });
  return { fake, driver, ctx };
}

test('start runs systemctl start and waits until the unit is active', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3, times: 1 },
    { args: ['start', 'web.service'] },
    { args: ['is-active', 'web.service'], stdout: 'activating\n', code: 3, times: 2 },
    { args: ['is-active', 'web.service'], stdout: 'active\n' },
  ]);
  const result = await driver.start(ctx);
  assert.deepEqual(result, { ok: true, detail: 'web.service is active' });
  assert.deepEqual(fake.lines(), [
    'systemctl is-active web.service',
    'systemctl start web.service',
    'systemctl is-active web.service',
    'systemctl is-active web.service',
    'systemctl is-active web.service',
  ]);
});

test('a start that systemd refuses reports the job failure, the unit state and the journal', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: ['is-active', 'web.service'], stdout: 'failed\n', code: 3 },
    {
      args: ['start', 'web.service'],
      code: 1,
      stderr:
        'Job for web.service failed because the control process exited with error code.\nSee "systemctl status web.service" and "journalctl -xeu web.service" for details.\n',
    },
  ]);
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^systemctl could not start web\.service: `systemctl start web\.service` exited with code 1: Job for web\.service failed because the control process exited with error code\./,
  );
  assert.match(
    result.detail,
    /Unit state: Result=exit-code, ActiveState=failed, SubState=failed, ExecMainStatus=1\./,
  );
  assert.match(result.detail, /Last journal lines: .*bind: Address already in use/);
  assert.match(result.detail, /Check `systemctl status web\.service`$/);
  assert.deepEqual(fake.lines().slice(-2), [
    'systemctl ' + SHOW.join(' '),
    'journalctl ' + JOURNAL.join(' '),
  ]);
});

test('a unit stuck activating fails the start at the timeout', async (t) => {
  const { driver, ctx } = setup(
    t,
    [
      { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3, times: 1 },
      { args: ['start', 'web.service'] },
      { args: ['is-active', 'web.service'], stdout: 'activating\n', code: 3 },
    ],
    600,
  );
  const began = performance.now();
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^web\.service did not become active within 600 ms\. Unit state: Result=exit-code/,
  );
  assert.ok(
    performance.now() - began < 15_000,
    'the start gave up at its own timeout, not at systemd timeouts',
  );
});

test('a systemctl start that hangs is killed at the timeout', async (t) => {
  const { driver, ctx } = setup(
    t,
    [
      { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3 },
      { args: ['start', 'web.service'], delaySeconds: 30 },
    ],
    500,
  );
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /`systemctl start web\.service` timed out after \d+ ms \(its process group was killed\)/,
  );
});

test('a oneshot unit that ends inactive fails with a hint', async (t) => {
  const { driver, ctx } = setup(t, [
    { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3 },
    { args: ['start', 'web.service'] },
  ]);
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^web\.service is inactive after its start \(a oneshot unit needs RemainAfterExit=yes/,
  );
});

test('start of an active unit starts nothing', async (t) => {
  const { fake, driver, ctx } = setup(t, [{ args: ['is-active', 'web.service'], stdout: 'active\n' }]);
  assert.deepEqual(await driver.start(ctx), { ok: true, detail: 'web.service was already active' });
  assert.deepEqual(fake.lines(), ['systemctl is-active web.service']);
});

test('stop waits until inactive; stopping an inactive or unknown unit succeeds', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: ['stop', 'web.service'], times: 1 },
    { args: ['is-active', 'web.service'], stdout: 'deactivating\n', code: 3, times: 1 },
    { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3 },
    { args: ['stop', 'web.service'], times: 1 },
    {
      args: ['stop', 'web.service'],
      code: 5,
      stderr: 'Failed to stop web.service: Unit web.service not loaded.\n',
    },
  ]);
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'web.service is inactive' });
  assert.deepEqual(fake.lines(), [
    'systemctl stop web.service',
    'systemctl is-active web.service',
    'systemctl is-active web.service',
  ]);
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'web.service is inactive' });
  assert.deepEqual(await driver.stop(ctx), {
    ok: true,
    detail: 'web.service is not loaded: nothing to stop',
  });
});

test('a stop that systemd refuses fails with its reason', async (t) => {
  const { driver, ctx } = setup(t, [
    { args: ['stop', 'web.service'], code: 1, stderr: 'Failed to stop web.service: Access denied\n' },
  ]);
  const result = await driver.stop(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^systemctl could not stop web\.service: .*exited with code 1: Failed to stop web\.service: Access denied\. Unit state:/,
  );
});

test('probe maps is-active to online, offline or unknown; kill sends SIGKILL to the unit', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: ['is-active', 'web.service'], stdout: 'active\n', times: 1 },
    { args: ['is-active', 'web.service'], stdout: 'failed\n', code: 3, times: 1 },
    { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3, times: 1 },
    { args: ['is-active', 'web.service'], stdout: 'activating\n', code: 3, times: 1 },
    { args: ['kill', '--signal=SIGKILL', 'web.service'] },
  ]);
  assert.deepEqual(
    [await driver.probe(ctx), await driver.probe(ctx), await driver.probe(ctx), await driver.probe(ctx)],
    ['online', 'offline', 'offline', 'unknown'],
  );
  await driver.kill(ctx);
  assert.equal(fake.lines().at(-1), 'systemctl kill --signal=SIGKILL web.service');
});

test('a missing systemctl and a bad unit parameter fail clearly', async (t) => {
  const s = scratch(t);
  const driver = createSystemdDriver({ env: { ...process.env, PATH: s.dir }, pollMs: 20 });
  const { ctx } = resourceContext(s, toolResource('systemd', 'web', { unit: 'web.service' }));
  const result = await driver.stop(ctx);
  assert.match(result.detail, /exited with code 127 \(is systemctl installed and on the agent's PATH\?\)/);
  const bad = resourceContext(s, toolResource('systemd', 'web', {})).ctx;
  assert.deepEqual(await driver.start(bad), {
    ok: false,
    detail: 'start of web/web (systemd) failed: systemd resource has no unit',
  });
});

test('fencing kills a start in flight at once, then SIGKILLs the unit', async (t) => {
  const { fake, driver, ctx } = setup(
    t,
    [
      { args: ['is-active', 'web.service'], stdout: 'inactive\n', code: 3 },
      { args: ['start', 'web.service'], delaySeconds: 30 },
      { args: ['kill', '--signal=SIGKILL', 'web.service'] },
    ],
    60_000,
  );
  const starting = driver.start(ctx);
  await waitFor(() => fake.lines().includes('systemctl start web.service'), 'systemctl start to run', 10_000);
  const began = performance.now();
  await driver.kill(ctx);
  const result = await starting;
  assert.equal(result.ok, false);
  assert.match(result.detail, /`systemctl start web\.service` was killed \(fencing\)/);
  assert.ok(performance.now() - began < 10_000, 'the start did not run on to its 60 s timeout');
  assert.equal(fake.lines().at(-1), 'systemctl kill --signal=SIGKILL web.service');
});
