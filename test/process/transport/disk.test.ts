// Real shared-disk heartbeats: DiskLinks on one file, on a loop device, and on a filesystem that is
// frozen (fsfreeze) to play a hung disk. Root-only parts skip themselves with the reason.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, test } from 'node:test';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { Membership } from '../../../src/engine/membership.js';
import { DiskLink } from '../../../src/links/disk.js';
import { DISK_BLOCK, DISK_SLOT_SIZE, encodeHeader, encodeSlot } from '../../../src/links/disk-layout.js';
import { encodeFrame } from '../../../src/links/frame.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';
import { waitFor } from './helpers.js';

const CLUSTER = 'prod';
const SERVERS = ['alpha', 'beta'];
const newKey = () => deriveKey(ClusterKey.fromBytes(randomBytes(32)), CLUSTER, 'heartbeat');
const dir = mkdtempSync(join(tmpdir(), 'vigil-disk-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function diskLink(self: string, device: string, key: Buffer, deadlineMs?: number): DiskLink {
  return new DiskLink({
    device,
    self,
    servers: SERVERS,
    cluster: CLUSTER,
    key,
    heartbeatIntervalMs: 100,
    logger: memoryLogger(),
    ...(deadlineMs ? { deadlineMs } : {}),
  });
}

/** Beats every 50 ms on each running link; stop(name) silences one writer. */
function beat(links: Record<string, DiskLink>) {
  const timers = new Map<string, NodeJS.Timeout>();
  Object.entries(links).forEach(([name, link], index) => {
    let seq = 0;
    timers.set(
      name,
      setInterval(() => link.sendHeartbeat(bareHeartbeat(100 + index, ++seq)), 50),
    );
  });
  return {
    stop: (name: string) => clearInterval(timers.get(name)),
    stopAll: () => timers.forEach((timer) => clearInterval(timer)),
  };
}

const rootSkip = process.getuid?.() === 0 ? false : 'needs root (losetup, mount, fsfreeze)';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' }).trim();
}

test(
  'two servers on one file hear each other; a stopped writer goes down after the timeout',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'shared.img');
    writeFileSync(file, '');
    const key = newKey();
    const alpha = diskLink('alpha', file, key);
    const beta = diskLink('beta', file, key);
    const timing = {
      heartbeatIntervalMs: 100,
      heartbeatTimeoutMs: 600,
      npDeadlineMs: 0,
      fenceDeadlineMs: 0,
      takeoverDelayMs: 0,
    };
    const servers = SERVERS.map((name) => ({
      name,
      links: [{ id: 'disk', kind: 'disk' as const, device: file }],
    }));
    const membership = new Membership('alpha', servers, timing, performance.now());
    alpha.onHeartbeat((from, link, body) => membership.onHeartbeat(from, link, body, performance.now()));
    const beats = beat({ alpha, beta });
    try {
      await alpha.start();
      await beta.start();
      assert.equal(readFileSync(file).subarray(0, 8).toString(), 'VIGILDSK');
      await waitFor(
        'five beats each way',
        () => alpha.local().counters.framesIn! >= 5 && beta.local().counters.framesIn! >= 5,
        15_000,
      );
      assert.equal(membership.linkUp('beta', 'disk', performance.now()), true);
      assert.equal(alpha.local().state, 'up');
      assert.match(alpha.local().endpoint, /\(io (direct|dsync)\)$/);

      beats.stop('beta');
      const heardBefore = alpha.local().counters.framesIn!;
      await waitFor(
        'beta to be down on the disk link',
        () => !membership.linkUp('beta', 'disk', performance.now()),
        10_000,
      );
      // Alpha kept reading beta's slot, which did not advance: nothing new was heard, nothing counted as bad.
      assert.ok(alpha.local().counters.framesIn! <= heardBefore + 1);
      assert.equal(alpha.local().counters.hmacFailures, 0);
      assert.equal(alpha.local().counters.rejected, 0);
    } finally {
      beats.stopAll();
      await Promise.all([alpha.close(), beta.close()]);
    }
  },
);

test(
  'a header of another cluster, or other data, is refused and left untouched',
  { timeout: 30_000 },
  async () => {
    const foreign = join(dir, 'foreign.img');
    const header = encodeHeader({ version: 1, slotSize: DISK_SLOT_SIZE, slotCount: 4, cluster: 'other' });
    writeFileSync(foreign, Buffer.concat([header, Buffer.alloc(4 * DISK_SLOT_SIZE)]));
    const link = diskLink('alpha', foreign, newKey());
    await assert.rejects(
      link.start(),
      /refusing to use .*foreign\.img.*belongs to cluster "other", not "prod"/,
    );
    assert.deepEqual(readFileSync(foreign).subarray(0, DISK_BLOCK), header);

    const data = join(dir, 'data.img');
    const content = Buffer.concat([
      Buffer.from('ext4 or a database, not ours'),
      Buffer.alloc(DISK_BLOCK * 4, 7),
    ]);
    writeFileSync(data, content);
    await assert.rejects(diskLink('alpha', data, newKey()).start(), /holds other data/);
    assert.deepEqual(readFileSync(data), content);
  },
);

test('a forged slot is ignored and counted once', { timeout: 30_000 }, async () => {
  const file = join(dir, 'forged.img');
  writeFileSync(file, '');
  const key = newKey();
  const alpha = diskLink('alpha', file, key);
  const heard: string[] = [];
  alpha.onHeartbeat((from) => heard.push(from));
  const beats = beat({ alpha });
  try {
    await alpha.start();
    // Beta's slot, written by someone with another key.
    const frame = encodeFrame(
      {
        cluster: CLUSTER,
        sender: 'beta',
        incarnation: 5,
        seq: 1,
        sentAt: Date.now(),
        body: bareHeartbeat(5, 1),
      },
      newKey(),
    );
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, encodeSlot(frame, DISK_SLOT_SIZE), 0, undefined, DISK_BLOCK + DISK_SLOT_SIZE);
    } finally {
      closeSync(fd);
    }
    await waitFor('the forged slot to be counted', () => alpha.local().counters.hmacFailures === 1, 10_000);
    const writes = alpha.local().counters.framesOut!;
    await waitFor('a few more beats', () => alpha.local().counters.framesOut! >= writes + 5, 10_000);
    assert.equal(alpha.local().counters.hmacFailures, 1, 'an unchanged slot is judged once');
    assert.deepEqual(heard, []);
  } finally {
    beats.stopAll();
    await alpha.close();
  }
});

test(
  'on a loop device the links use O_DIRECT and hear each other',
  { skip: rootSkip, timeout: 30_000 },
  async () => {
    const backing = join(dir, 'loop.img');
    writeFileSync(backing, Buffer.alloc(2 * 1024 * 1024));
    const loop = run('losetup', ['--find', '--show', backing]);
    const key = newKey();
    const alpha = diskLink('alpha', loop, key);
    const beta = diskLink('beta', loop, key);
    const beats = beat({ alpha, beta });
    try {
      await alpha.start();
      await beta.start();
      await waitFor(
        'five beats each way',
        () => alpha.local().counters.framesIn! >= 5 && beta.local().counters.framesIn! >= 5,
        15_000,
      );
      assert.equal(alpha.local().endpoint, `${loop} (io direct)`);
    } finally {
      beats.stopAll();
      await Promise.all([alpha.close(), beta.close()]);
      run('losetup', ['-d', loop]);
    }
  },
);

test(
  'a hung disk stalls the link, not the main thread; it recovers when the disk does',
  { skip: rootSkip, timeout: 60_000 },
  async () => {
    const image = join(dir, 'fs.img');
    const mount = join(dir, 'mnt');
    mkdirSync(mount);
    writeFileSync(image, Buffer.alloc(16 * 1024 * 1024));
    run('mkfs.ext4', ['-q', '-F', image]);
    run('mount', ['-o', 'loop', image, mount]);
    let frozen = false;
    const file = join(mount, 'disk-link');
    writeFileSync(file, '');
    const key = newKey();
    const alpha = diskLink('alpha', file, key, 300);
    const beta = diskLink('beta', file, key, 300);
    const beats = beat({ alpha, beta });
    try {
      await alpha.start();
      await beta.start();
      await waitFor(
        'beats each way',
        () => alpha.local().counters.framesIn! >= 3 && beta.local().counters.framesIn! >= 3,
        15_000,
      );
      // A frozen filesystem blocks every write until it is thawed, as a dead path to a disk would.
      run('fsfreeze', ['--freeze', mount]);
      frozen = true;
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 20);
      try {
        await waitFor(
          'both links to stall',
          () => alpha.local().state === 'stalled' && beta.local().state === 'stalled',
          10_000,
        );
        const at = ticks;
        await waitFor('the event loop to keep running during the stall', () => ticks >= at + 10, 5000);
      } finally {
        clearInterval(ticker);
      }
      assert.ok(alpha.local().counters.stalls! >= 1);
      assert.ok(alpha.local().counters.skipped! >= 1, 'beats during the stall were skipped, not queued');
      run('fsfreeze', ['--unfreeze', mount]);
      frozen = false;
      const heard = alpha.local().counters.framesIn!;
      await waitFor(
        'the links to come back',
        () =>
          alpha.local().state === 'up' &&
          beta.local().state === 'up' &&
          alpha.local().counters.framesIn! >= heard + 3,
        15_000,
      );
    } finally {
      beats.stopAll();
      if (frozen) run('fsfreeze', ['--unfreeze', mount]);
      await Promise.all([alpha.close(), beta.close()]);
      run('umount', [mount]);
    }
  },
);
