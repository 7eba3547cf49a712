// The volmgr driver against recording fakes of vgs, lvs and vgchange.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ResourceEvent } from '../../../src/engine/io.js';
import { createVolmgrDriver } from '../../../src/resources/volmgr.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch } from './helpers.js';

const VGS = ['--noheadings', '-o', 'vg_tags', 'vg_shared'];
const LVS = ['--noheadings', '--separator', '|', '-o', 'lv_name,lv_active', 'vg_shared'];
const INACTIVE = '  data|\n  logs|\n';
const ACTIVE = '  data|active\n  logs|active\n';

function setup(
  t: TestContext,
  rules: { vgs: FakeRule[]; lvs: FakeRule[]; vgchange?: FakeRule[] },
  options: { event?: ResourceEvent; takeover?: string } = {},
) {
  const fake = new FakeBin(t)
    .tool('vgs', rules.vgs)
    .tool('lvs', rules.lvs)
    .tool('vgchange', rules.vgchange ?? []);
  const driver = createVolmgrDriver({ env: fake.env(), pollMs: 20 });
  const params = {
    vg: 'vg_shared',
    ...(options.takeover === undefined ? {} : { takeover: options.takeover }),
  };
  const { ctx, logger } = resourceContext(scratch(t), toolResource('volmgr', 'shared', params), {
    event: options.event ?? 'START',
  });
  return { fake, driver, ctx, logger };
}

test('start tags the VG with this server and activates it', async (t) => {
  const { fake, driver, ctx } = setup(t, {
    vgs: [
      { args: VGS, stdout: '  \n', times: 1 },
      { args: VGS, stdout: '  vigil_s1\n' },
    ],
    lvs: [
      { args: LVS, stdout: INACTIVE, times: 1 },
      { args: LVS, stdout: ACTIVE },
    ],
    vgchange: [
      {
        args: ['--addtag', 'vigil_s1', 'vg_shared'],
        stdout: '  Volume group "vg_shared" successfully changed\n',
      },
      {
        args: ['-ay', 'vg_shared'],
        stdout: '  2 logical volume(s) in volume group "vg_shared" now active\n',
      },
    ],
  });
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'vg_shared is active with 2 LV(s), tagged vigil_s1',
  });
  assert.deepEqual(fake.lines(), [
    `vgs ${VGS.join(' ')}`,
    `lvs ${LVS.join(' ')}`,
    'vgchange --addtag vigil_s1 vg_shared',
    'vgchange -ay vg_shared',
    `vgs ${VGS.join(' ')}`,
    `lvs ${LVS.join(' ')}`,
  ]);
});

test('start refuses a VG tagged by another server unless it is a FAILOVER', async (t) => {
  const { fake, driver, ctx } = setup(t, {
    vgs: [{ args: VGS, stdout: '  vigil_s2\n' }],
    lvs: [{ args: LVS, stdout: INACTIVE }],
  });
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    'refusing to activate vg_shared: it carries vigil_s2, so s2 may have it active (this is a START, and tags of ' +
      'other servers are only removed on a FAILOVER (after the engine fenced them)). If s2 is down or no longer ' +
      'uses it, remove the tag there or here: vgchange --deltag vigil_s2 vg_shared',
  );
  assert.ok(!fake.lines().some((line) => line.startsWith('vgchange')), 'no vgchange ran');
});

test('a FAILOVER start takes the VG over from the failed server', async (t) => {
  const { fake, driver, ctx, logger } = setup(
    t,
    {
      vgs: [
        { args: VGS, stdout: '  vigil_s2,backup\n', times: 1 },
        { args: VGS, stdout: '  backup,vigil_s1\n' },
      ],
      lvs: [
        { args: LVS, stdout: INACTIVE, times: 1 },
        { args: LVS, stdout: ACTIVE },
      ],
      vgchange: [
        { args: ['--deltag', 'vigil_s2', 'vg_shared'] },
        { args: ['--addtag', 'vigil_s1', 'vg_shared'] },
        { args: ['-ay', 'vg_shared'] },
      ],
    },
    { event: 'FAILOVER' },
  );
  const result = await driver.start(ctx);
  assert.deepEqual(result, {
    ok: true,
    detail: 'vg_shared is active with 2 LV(s), tagged vigil_s1 (took it over from vigil_s2)',
  });
  assert.deepEqual(
    fake.lines().filter((line) => line.startsWith('vgchange')),
    [
      'vgchange --deltag vigil_s2 vg_shared',
      'vgchange --addtag vigil_s1 vg_shared',
      'vgchange -ay vg_shared',
    ],
  );
  assert.ok(logger.records.some((r) => r.event === 'volmgr-takeover' && r.fields.tag === 'vigil_s2'));
});

test('takeover: never refuses even on a FAILOVER', async (t) => {
  const { driver, ctx } = setup(
    t,
    { vgs: [{ args: VGS, stdout: '  vigil_s2\n' }], lvs: [{ args: LVS, stdout: INACTIVE }] },
    { event: 'FAILOVER', takeover: 'never' },
  );
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^refusing to activate vg_shared: it carries vigil_s2, so s2 may have it active \(takeover is never\)/,
  );
});

test('vgchange -ay refused by volume_list fails with the lvm.conf hint', async (t) => {
  const { driver, ctx } = setup(t, {
    vgs: [{ args: VGS, stdout: '  vigil_s1\n' }],
    lvs: [{ args: LVS, stdout: INACTIVE }],
    vgchange: [
      {
        args: ['-ay', 'vg_shared'],
        code: 5,
        stderr: '  Not activating vg_shared/data since it does not pass activation filter.\n',
      },
    ],
  });
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    'could not activate vg_shared: `vgchange -ay vg_shared` exited with code 5: Not activating vg_shared/data since ' +
      'it does not pass activation filter. Check lvm.conf on this server: activation/volume_list must contain ' +
      '"@vigil_s1" and tags must define vigil_s1 (tags { vigil_s1 { } })',
  );
});

test('a VG that is not visible fails the start clearly', async (t) => {
  const { driver, ctx } = setup(t, {
    vgs: [
      {
        args: VGS,
        code: 5,
        stderr: '  Volume group "vg_shared" not found\n  Cannot process volume group vg_shared\n',
      },
    ],
    lvs: [],
  });
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^could not read volume group vg_shared: `vgs .*` exited with code 5: Volume group "vg_shared" not found \| Cannot process volume group vg_shared\. Check that its PVs are visible here \(pvs\)$/,
  );
});

test('stop deactivates, then removes the tag; a second stop only deactivates', async (t) => {
  const { fake, driver, ctx } = setup(t, {
    vgs: [
      { args: VGS, stdout: '  vigil_s1\n', times: 1 },
      { args: VGS, stdout: '  \n' },
    ],
    lvs: [{ args: LVS, stdout: INACTIVE }],
    vgchange: [{ args: ['-an', 'vg_shared'] }, { args: ['--deltag', 'vigil_s1', 'vg_shared'] }],
  });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'vg_shared is inactive and untagged' });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'vg_shared is inactive and untagged' });
  assert.deepEqual(
    fake.lines().filter((line) => line.startsWith('vgchange')),
    ['vgchange -an vg_shared', 'vgchange --deltag vigil_s1 vg_shared', 'vgchange -an vg_shared'],
  );
});

test('a stop refused because an LV is in use keeps the tag', async (t) => {
  const { fake, driver, ctx } = setup(t, {
    vgs: [],
    lvs: [],
    vgchange: [
      {
        args: ['-an', 'vg_shared'],
        code: 5,
        stderr:
          '  Logical volume vg_shared/data in use.\n  Can\'t deactivate volume group "vg_shared" with 1 open logical volume(s)\n',
      },
    ],
  });
  const result = await driver.stop(ctx);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^could not deactivate vg_shared: .*Logical volume vg_shared\/data in use\..*Check what still uses its LVs/,
  );
  assert.deepEqual(fake.lines(), ['vgchange -an vg_shared']);
});

test('probe: all LVs active is online, none offline, some unknown; kill deactivates', async (t) => {
  const { fake, driver, ctx } = setup(t, {
    vgs: [{ args: VGS, stdout: '  vigil_s1\n' }],
    lvs: [
      { args: LVS, stdout: ACTIVE, times: 1 },
      { args: LVS, stdout: INACTIVE, times: 1 },
      { args: LVS, stdout: '  data|active\n  logs|\n', times: 1 },
      { args: LVS, code: 5, stderr: '  Volume group "vg_shared" not found\n' },
    ],
    vgchange: [{ args: ['-an', 'vg_shared'] }],
  });
  const probes = [];
  for (let i = 0; i < 4; i++) probes.push(await driver.probe(ctx));
  assert.deepEqual(probes, ['online', 'offline', 'unknown', 'unknown']);
  await driver.kill(ctx);
  assert.equal(fake.lines().at(-1), 'vgchange -an vg_shared');
});
