// The nas driver against recording fakes of mount and umount, with a mount table file of the test's own
// that the fakes change the way the kernel would.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createNasDriver } from '../../../src/resources/nas.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch } from './helpers.js';

const ROOT = '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw';
const NFS_LINE =
  '36 22 0:50 / /srv/media rw,relatime shared:60 - nfs4 nas1:/export/media rw,vers=4.2,addr=10.1.0.9';
const CIFS_LINE = '37 22 0:51 / /srv/office\\040docs rw,relatime - cifs //files/office rw,vers=3.1.1';

function setup(
  t: TestContext,
  params: Record<string, unknown>,
  tools: { mount?: FakeRule[]; umount?: FakeRule[] },
) {
  const fake = new FakeBin(t);
  const mountinfo = join(fake.dir, 'mountinfo');
  writeFileSync(mountinfo, `${ROOT}\n`);
  fake.tool('mount', tools.mount ?? []).tool('umount', tools.umount ?? []);
  const driver = createNasDriver({ env: fake.env(), pollMs: 20, mountinfoPath: mountinfo });
  const { ctx } = resourceContext(scratch(t), toolResource('nas', 'media', params));
  const mounted = (line: string) => `printf '%s\\n' '${line}' >> '${mountinfo}'`;
  const unmounted = `printf '%s\\n' '${ROOT}' > '${mountinfo}'`;
  return { fake, driver, ctx, mountinfo, mounted, unmounted };
}

const NFS = { share: 'nas1:/export/media', mountPoint: '/srv/media', options: 'vers=4.2,hard' };

test('NFS: start mounts the export; start again, probe and stop follow the mount table', async (t) => {
  const { fake, driver, ctx, mountinfo } = setup(t, NFS, {});
  fake.tool('mount', [
    {
      args: ['-t', 'nfs', '-o', 'vers=4.2,hard', 'nas1:/export/media', '/srv/media'],
      effect: `printf '%s\\n' '${NFS_LINE}' >> '${mountinfo}'`,
    },
  ]);
  fake.tool('umount', [{ args: ['/srv/media'], effect: `printf '%s\\n' '${ROOT}' > '${mountinfo}'` }]);
  assert.equal(await driver.probe(ctx), 'offline');
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'nas1:/export/media is mounted on /srv/media',
  });
  assert.equal(await driver.probe(ctx), 'online');
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'nas1:/export/media was already mounted on /srv/media',
  });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: '/srv/media is unmounted' });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: '/srv/media was not mounted' });
  assert.equal(await driver.probe(ctx), 'offline');
  assert.deepEqual(fake.lines(), [
    'mount -t nfs -o vers=4.2,hard nas1:/export/media /srv/media',
    'umount /srv/media',
  ]);
});

test('CIFS: the credentials file goes to mount as an option; escaped mount points are understood', async (t) => {
  const params = {
    share: '//files/office',
    mountPoint: '/srv/office docs',
    credentials: '/etc/vigil/office.cred',
    options: 'vers=3.1.1',
    lazyUnmount: true,
    forceUnmount: true,
  };
  const { fake, driver, ctx, mounted, unmounted } = setup(t, params, {});
  fake.tool('mount', [
    {
      args: [
        '-t',
        'cifs',
        '-o',
        'vers=3.1.1,credentials=/etc/vigil/office.cred',
        '//files/office',
        '/srv/office docs',
      ],
      effect: mounted(CIFS_LINE),
    },
  ]);
  fake.tool('umount', [{ args: ['-l', '-f', '/srv/office docs'], effect: unmounted }]);
  assert.equal((await driver.start(ctx)).ok, true);
  assert.equal(await driver.probe(ctx), 'online');
  assert.equal((await driver.stop(ctx)).ok, true);
  assert.deepEqual(
    fake.recorded().map((call) => call.args),
    [
      [
        '-t',
        'cifs',
        '-o',
        'vers=3.1.1,credentials=/etc/vigil/office.cred',
        '//files/office',
        '/srv/office docs',
      ],
      ['-l', '-f', '/srv/office docs'],
    ],
  );
});

test('a failing mount (exit 32) names the share and what to check', async (t) => {
  const { driver, ctx } = setup(t, NFS, {
    mount: [
      {
        prefix: ['-t', 'nfs'],
        code: 32,
        stderr: 'mount.nfs: access denied by server while mounting nas1:/export/media\n',
      },
    ],
  });
  const result = await driver.start(ctx);
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    'could not mount nas1:/export/media on /srv/media: `mount -t nfs -o vers=4.2,hard nas1:/export/media /srv/media` ' +
      'exited with code 32: mount.nfs: access denied by server while mounting nas1:/export/media. Check that the ' +
      'server is reachable, that it exports the share to this host, and that /srv/media exists',
  );
});

test('a mount that hangs is killed at the start timeout', async (t) => {
  const { driver, ctx } = setup(t, NFS, { mount: [{ prefix: ['-t'], delaySeconds: 30 }] });
  const result = await driver.start({ ...ctx, timeoutMs: 500 });
  assert.equal(result.ok, false);
  assert.match(result.detail, /^could not mount .* timed out after \d+ ms \(its process group was killed\)/);
});

test('a busy mount point fails the stop with the fuser hint; something else mounted there is left alone', async (t) => {
  const { fake, driver, ctx, mountinfo } = setup(t, NFS, {
    umount: [{ args: ['/srv/media'], code: 32, stderr: 'umount.nfs4: /srv/media: device is busy\n' }],
  });
  writeFileSync(mountinfo, `${ROOT}\n${NFS_LINE}\n`);
  const busy = await driver.stop(ctx);
  assert.equal(busy.ok, false);
  assert.match(
    busy.detail,
    /exited with code 32: umount\.nfs4: \/srv\/media: device is busy\. Check what still uses it \(fuser -vm \/srv\/media\)/,
  );
  writeFileSync(mountinfo, `${ROOT}\n36 22 0:50 / /srv/media rw - nfs4 other:/elsewhere rw\n`);
  assert.equal(await driver.probe(ctx), 'unknown');
  const other = await driver.start(ctx);
  assert.equal(
    other.detail,
    '/srv/media already has other:/elsewhere (nfs4) mounted on it; unmount it first',
  );
  assert.equal((await driver.stop(ctx)).ok, false);
  assert.deepEqual(fake.lines(), ['umount /srv/media']);
});

test('kill detaches the mount at once', async (t) => {
  const { fake, driver, ctx, mountinfo, unmounted } = setup(t, NFS, {});
  fake.tool('umount', [{ args: ['-f', '-l', '/srv/media'], effect: unmounted }]);
  writeFileSync(mountinfo, `${ROOT}\n${NFS_LINE}\n`);
  await driver.kill(ctx);
  assert.deepEqual(fake.lines(), ['umount -f -l /srv/media']);
  assert.equal(await driver.probe(ctx), 'offline');
});

test('parameters that do not fit fail clearly and never reach mount', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ ...NFS, credentials: '/etc/c' }, 'nas credentials are for CIFS shares only'],
    [
      { ...NFS, options: 'user=a,password=secret' },
      'nas options must not contain a password: put it in a credentials file (credentials key)',
    ],
    [
      { ...NFS, fsType: 'cifs' },
      'nas share "nas1:/export/media" does not fit fsType cifs: NFS is server:/export, CIFS //server/share',
    ],
    [
      { ...NFS, share: 'media' },
      'nas share "media" is neither server:/export (NFS) nor //server/share (CIFS)',
    ],
  ];
  for (const [params, message] of cases) {
    const { fake, driver, ctx } = setup(t, params, {});
    const result = await driver.start(ctx);
    assert.deepEqual(result, { ok: false, detail: `start of web/media (nas) failed: ${message}` });
    assert.ok(!result.detail.includes('secret'));
    assert.deepEqual(fake.lines(), []);
  }
});
