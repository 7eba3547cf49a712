// The vm driver against a recording fake of virsh.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createVmDriver, migrateVm } from '../../../src/resources/vm.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch } from './helpers.js';

const URI = ['-c', 'qemu:///system'];
const DOMSTATE = [...URI, 'domstate', 'erp'];
const PARAMS = { domain: 'erp', uri: 'qemu:///system', shutdownTimeout: '400ms' };

function setup(t: TestContext, virsh: FakeRule[], params: Record<string, unknown> = PARAMS) {
  const fake = new FakeBin(t).tool('virsh', virsh);
  const driver = createVmDriver({ env: fake.env(), pollMs: 20 });
  const { ctx, logger } = resourceContext(scratch(t), toolResource('vm', 'erp', params));
  return { fake, driver, ctx, logger };
}

test('start boots a shut-off domain and waits until it runs', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: DOMSTATE, stdout: 'shut off\n\n', times: 1 },
    { args: [...URI, 'start', 'erp'], stdout: 'Domain erp started\n\n' },
    { args: DOMSTATE, stdout: 'running\n\n' },
  ]);
  assert.deepEqual(await driver.start(ctx), { ok: true, detail: 'domain erp is running' });
  assert.deepEqual(await driver.start(ctx), { ok: true, detail: 'domain erp was already running' });
  assert.deepEqual(fake.lines(), [
    'virsh -c qemu:///system domstate erp',
    'virsh -c qemu:///system start erp',
    'virsh -c qemu:///system domstate erp',
    'virsh -c qemu:///system domstate erp',
  ]);
});

test('a start libvirt refuses reports its error; an undefined domain says where to define it', async (t) => {
  const { driver, ctx } = setup(
    t,
    [
      { args: ['domstate', 'erp'], stdout: 'shut off\n', times: 1 },
      {
        args: ['start', 'erp'],
        code: 1,
        stderr:
          "error: Failed to start domain 'erp'\nerror: Cannot access storage file '/var/lib/libvirt/images/erp.qcow2': No such file or directory\n",
      },
      { args: ['domstate', 'erp'], code: 1, stderr: "error: failed to get domain 'erp'\n" },
    ],
    { domain: 'erp' },
  );
  const refused = await driver.start(ctx);
  assert.equal(
    refused.detail,
    "could not start domain erp: `virsh start erp` exited with code 1: error: Failed to start domain 'erp' | " +
      "error: Cannot access storage file '/var/lib/libvirt/images/erp.qcow2': No such file or directory",
  );
  assert.deepEqual(await driver.start(ctx), {
    ok: false,
    detail:
      "domain erp is not defined on this server (virsh list --all): define it on every server of the group's policy",
  });
  assert.equal(await driver.probe(ctx), 'offline');
});

test('stop shuts the guest down when it does so in time', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: DOMSTATE, stdout: 'running\n', times: 1 },
    { args: [...URI, 'shutdown', 'erp'], stdout: 'Domain erp is being shutdown\n' },
    { args: DOMSTATE, stdout: 'in shutdown\n', times: 1 },
    { args: DOMSTATE, stdout: 'shut off\n' },
  ]);
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'domain erp shut down' });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'domain erp was not running' });
  assert.ok(!fake.lines().some((line) => line.includes('destroy')));
});

test('a guest still running at the shutdown deadline is destroyed', async (t) => {
  const { fake, driver, ctx, logger } = setup(t, [
    { args: [...URI, 'shutdown', 'erp'], stdout: 'Domain erp is being shutdown\n' },
    { args: [...URI, 'destroy', 'erp'], stdout: 'Domain erp destroyed\n', effect: 'touch "$0.destroyed"' },
    // Running until destroyed: the fake remembers the destroy in a file next to itself.
    { args: DOMSTATE, stdout: 'running\n', effect: '[ -e "$0.destroyed" ] && { echo "shut off"; exit 0; }' },
  ]);
  const result = await driver.stop({ ...ctx, timeoutMs: 6000 });
  assert.match(
    result.detail,
    /^domain erp still running \d+ ms after `virsh shutdown`: destroyed \(powered off\)$/,
  );
  assert.equal(result.ok, true);
  const lines = fake.lines();
  assert.ok(
    lines.indexOf('virsh -c qemu:///system shutdown erp') <
      lines.indexOf('virsh -c qemu:///system destroy erp'),
  );
  assert.ok(logger.records.some((record) => record.event === 'vm-destroy'));
});

test('the shutdown deadline leaves time for destroy within a short stop timeout', async (t) => {
  const { driver, ctx } = setup(
    t,
    [
      { args: DOMSTATE, stdout: 'running\n' },
      {
        args: [...URI, 'shutdown', 'erp'],
        code: 1,
        stderr:
          'error: Failed to shutdown domain erp\nerror: Timed out during operation: cannot acquire state change lock\n',
      },
      {
        args: [...URI, 'destroy', 'erp'],
        code: 1,
        stderr:
          'error: Failed to destroy domain erp\nerror: Timed out during operation: cannot acquire state change lock\n',
      },
    ],
    { ...PARAMS, shutdownTimeout: '5m' },
  );
  const began = performance.now();
  const result = await driver.stop({ ...ctx, timeoutMs: 2000 });
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^domain erp virsh shutdown failed \(.*cannot acquire state change lock\), and destroy failed too: .*Failed to destroy domain erp/,
  );
  assert.ok(performance.now() - began < 15_000, 'a 5m shutdownTimeout did not outlast the 2 s stop timeout');
});

test('probe maps domstate; kill destroys; migrate runs a live migration', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: DOMSTATE, stdout: 'running\n', times: 1 },
    { args: DOMSTATE, stdout: 'paused\n', times: 1 },
    { args: DOMSTATE, stdout: 'shut off\n', times: 1 },
    { args: DOMSTATE, stdout: 'in shutdown\n', times: 1 },
    { args: DOMSTATE, code: 1, stderr: 'error: failed to connect to the hypervisor\n' },
    { args: [...URI, 'destroy', 'erp'] },
    {
      args: [...URI, 'migrate', '--live', '--persistent', '--undefinesource', 'erp', 'qemu+ssh://s2/system'],
      times: 1,
    },
    {
      prefix: [...URI, 'migrate'],
      code: 1,
      stderr: 'error: operation failed: migration job: unexpectedly failed\n',
    },
  ]);
  const probes = [];
  for (let i = 0; i < 5; i++) probes.push(await driver.probe(ctx));
  assert.deepEqual(probes, ['online', 'online', 'offline', 'unknown', 'unknown']);
  await driver.kill(ctx);
  assert.equal(fake.lines().at(-1), 'virsh -c qemu:///system destroy erp');
  assert.deepEqual(await migrateVm(ctx, 'qemu+ssh://s2/system', fake.env()), {
    ok: true,
    detail: 'domain erp migrated live to qemu+ssh://s2/system',
  });
  const failed = await migrateVm(ctx, 'qemu+ssh://s3/system', fake.env());
  assert.equal(failed.ok, false);
  assert.match(
    failed.detail,
    /^could not migrate erp to qemu\+ssh:\/\/s3\/system: .*migration job: unexpectedly failed$/,
  );
});
