// The disk resource on a real ext4 loop device (root): fsck, mount, probe, stop killing the users of
// the mount, and refusing a device that is already mounted elsewhere.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResourceModel } from '../../../src/engine/model.js';
import { createDiskDriver } from '../../../src/resources/disk.js';
import { fsckAllowsMount, fsckMeaning } from '../../../src/resources/fsck.js';
import { parseMountinfo } from '../../../src/resources/mountinfo.js';
import { isAlive, resourceContext, scratch, waitFor } from './helpers.js';
import { loopDevice, mountPointsOf, rootOnly } from './loop-device.js';

function diskResource(params: Record<string, unknown>): ResourceModel {
  return { name: 'data', type: 'disk', dependsOn: [], startTimeoutMs: 30_000, stopTimeoutMs: 30_000, params };
}

test('mountinfo lines are parsed, with escaped spaces in paths', () => {
  const entries = parseMountinfo(
    '36 35 98:0 / /mnt/my\\040data rw,noatime master:1 - ext4 /dev/sdb1 rw,errors=continue\n' +
      '37 35 0:5 / /proc rw shared:2 - proc proc rw\n',
  );
  assert.deepEqual(entries[0], {
    devNumber: '98:0',
    mountPoint: '/mnt/my data',
    options: 'rw,noatime',
    fsType: 'ext4',
    source: '/dev/sdb1',
  });
  assert.equal(entries[1]?.mountPoint, '/proc');
});

test('fsck exit statuses: 0-3 allow the mount, 4 and above do not, with their meanings', () => {
  assert.equal(fsckMeaning(0), 'no errors');
  assert.equal(fsckMeaning(1), 'errors were corrected');
  assert.equal(fsckMeaning(12), 'errors were left uncorrected, operational error');
  assert.deepEqual([0, 1, 2, 3, 4, 8].map(fsckAllowsMount), [true, true, true, true, false, false]);
});

test(
  'disk: fsck, mount, probe online, stop kills a process holding a file open, umount',
  rootOnly,
  async (t) => {
    const s = scratch(t);
    const { device, dir } = loopDevice(t);
    const mountPoint = join(dir, 'mnt');
    const disk = createDiskDriver();
    const { ctx, logger } = resourceContext(
      s,
      diskResource({ device, mountPoint, fsType: 'ext4', fsck: 'always' }),
    );
    assert.equal(await disk.probe(ctx), 'offline');
    const started = await disk.start(ctx);
    assert.equal(started.ok, true, started.detail);
    assert.match(started.detail, /^mounted .* \(fsck: no errors\)$/);
    assert.ok(logger.records.some((r) => r.event === 'resource-output' && r.fields?.command === 'fsck'));
    assert.deepEqual(mountPointsOf(device), [mountPoint]);
    assert.equal(await disk.probe(ctx), 'online');
    assert.deepEqual(await disk.start(ctx), {
      ok: true,
      detail: `${device} is already mounted on ${mountPoint}`,
    });

    // A process keeps a file open under the mount: umount alone would fail with "target is busy".
    writeFileSync(join(mountPoint, 'held'), 'x');
    const holder = spawn('sh', ['-c', `exec 3<'${join(mountPoint, 'held')}'; exec sleep 600`], {
      stdio: 'ignore',
    });
    holder.unref();
    t.after(() => holder.kill('SIGKILL'));
    await waitFor(() => {
      try {
        return readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').startsWith('sleep');
      } catch {
        return false;
      }
    }, 'the holder to exec sleep with the file open');
    const stopped = await disk.stop({ ...ctx, event: 'STOP' });
    assert.equal(stopped.ok, true, stopped.detail);
    assert.deepEqual(mountPointsOf(device), []);
    await waitFor(() => !isAlive(holder.pid ?? 0), 'the holder to be killed');
    assert.equal(await disk.probe(ctx), 'offline');
    assert.deepEqual(await disk.stop(ctx), { ok: true, detail: `${device} is not mounted on ${mountPoint}` });
  },
);

test(
  'disk: killUsers none leaves the holder alone and stop fails saying who uses the mount',
  rootOnly,
  async (t) => {
    const s = scratch(t);
    const { device, dir } = loopDevice(t);
    const mountPoint = join(dir, 'mnt');
    const disk = createDiskDriver({ retryPauseMs: 10 });
    const resource = diskResource({
      device,
      mountPoint,
      fsType: 'ext4',
      fsck: 'never',
      killUsers: 'none',
      umountRetries: 2,
    });
    const { ctx } = resourceContext(s, resource);
    assert.equal((await disk.start(ctx)).ok, true);
    const holder = spawn('sleep', ['600'], { cwd: mountPoint, stdio: 'ignore' });
    holder.unref();
    t.after(() => holder.kill('SIGKILL'));
    await waitFor(() => existsSync(`/proc/${holder.pid}/cwd`), 'the holder to run');
    const stopped = await disk.stop(ctx);
    assert.equal(stopped.ok, false);
    assert.match(
      stopped.detail,
      new RegExp(`could not unmount ${mountPoint} after 2 tries: umount exited with code \\d+`),
    );
    assert.match(stopped.detail, new RegExp(`processes using it: .*\\b${holder.pid}\\b`));
    assert.ok(isAlive(holder.pid ?? 0));
    assert.equal(await disk.probe(ctx), 'online');
  },
);

test('disk: a device already mounted elsewhere is refused, and probe says unknown', rootOnly, async (t) => {
  const s = scratch(t);
  const { device, dir } = loopDevice(t);
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  assert.equal(spawnSync('mount', [device, elsewhere]).status, 0);
  const mountPoint = join(dir, 'mnt');
  const disk = createDiskDriver();
  const { ctx } = resourceContext(s, diskResource({ device, mountPoint, fsType: 'ext4' }));
  const result = await disk.start(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    `cannot mount: ${device} is already mounted on ${elsewhere} on this server; mounting it twice would corrupt it; unmount ${elsewhere} first (check: findmnt ${device})`,
  );
  assert.deepEqual(mountPointsOf(device), [elsewhere]);
  assert.equal(await disk.probe(ctx), 'unknown');
});

test(
  'disk: a missing device, a wrong fsType and a failing fsck give errors that say what to check',
  rootOnly,
  async (t) => {
    const s = scratch(t);
    const disk = createDiskDriver();
    const { device, dir } = loopDevice(t);
    const mountPoint = join(dir, 'mnt');
    const missing = resourceContext(
      s,
      diskResource({ device: '/dev/vigil-no-such-disk', mountPoint, fsType: 'ext4' }),
    );
    assert.deepEqual(await disk.start(missing.ctx), {
      ok: false,
      detail:
        'device /dev/vigil-no-such-disk does not exist; check that the disk is attached to this server (lsblk)',
    });
    const wrongType = resourceContext(s, diskResource({ device, mountPoint, fsType: 'xfs', fsck: 'never' }));
    const mounted = await disk.start(wrongType.ctx);
    assert.equal(mounted.ok, false);
    assert.match(mounted.detail, /^mount exited with code \d+ .*; check the device, fsType xfs and options$/);
    // Wipe the ext4 superblock: fsck -p cannot repair that, so the start fails before mounting.
    spawnSync('dd', ['if=/dev/zero', `of=${device}`, 'bs=4096', 'count=1', 'conv=notrunc'], {
      stdio: 'ignore',
    });
    const broken = resourceContext(s, diskResource({ device, mountPoint, fsType: 'ext4', fsck: 'auto' }));
    const checked = await disk.start(broken.ctx);
    assert.equal(checked.ok, false);
    assert.match(checked.detail, /^fsck exited with code (\d+)/);
    assert.match(checked.detail, /repair .* by hand/);
    assert.deepEqual(mountPointsOf(device), []);
  },
);
