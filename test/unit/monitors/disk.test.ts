// disk reads (and writes) a real file and a real loop device in a child process; a read that hangs
// times out while the agent's event loop keeps running.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratch } from '../resources/helpers.js';
import { driverFor, isRoot } from './check.js';

test('disk reads a file, and writes one and reads it back', async (t) => {
  const s = scratch(t);
  const file = join(s.dir, 'data');
  writeFileSync(file, Buffer.alloc(8192, 7));
  assert.deepEqual(await driverFor('disk', { path: file, size: 4096 }).check(), {
    ok: true,
    detail: `read 4096 bytes of ${file}`,
  });
  const written = join(s.dir, 'probe');
  assert.deepEqual(await driverFor('disk', { path: written, mode: 'write', size: 1024 }).check(), {
    ok: true,
    detail: `wrote and read back 1024 bytes of ${written}`,
  });
  assert.equal(readFileSync(written).length, 1024);
});

test('disk: a missing device is a clear error', async () => {
  const result = await driverFor('disk', { path: '/dev/vigil-no-such-disk' }).check();
  assert.deepEqual(result, {
    ok: false,
    detail:
      'read of /dev/vigil-no-such-disk failed: ENOENT (no such file or device: check the path and that the disk is attached)',
  });
});

test(
  'disk reads a loop device and refuses to write one',
  { skip: !isRoot() && 'needs root (losetup)' },
  async (t) => {
    const s = scratch(t);
    const image = join(s.dir, 'image');
    writeFileSync(image, Buffer.alloc(1024 * 1024, 1));
    const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    t.after(() => execFileSync('losetup', ['--detach', device]));
    assert.deepEqual(await driverFor('disk', { path: device, size: 4096 }).check(), {
      ok: true,
      detail: `read 4096 bytes of ${device}`,
    });
    assert.deepEqual(await driverFor('disk', { path: device, mode: 'write' }).check(), {
      ok: false,
      detail: `${device} is not a regular file: write checks write a file, never a device`,
    });
    assert.deepEqual([...readFileSync(image).subarray(0, 4)], [1, 1, 1, 1], 'the device was written');
  },
);

test('disk: a read that hangs (a FIFO with no writer) times out and never blocks the event loop', async (t) => {
  const s = scratch(t);
  const fifo = join(s.dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  t.after(() => {
    // Unblock anything still waiting on the FIFO, so nothing lingers.
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader left
    }
  });
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 20);
  try {
    const started = performance.now();
    const result = await driverFor('disk', { path: fifo }, 1500).check();
    const took = performance.now() - started;
    assert.deepEqual(result, {
      ok: false,
      detail: `read of ${fifo} did not finish in time (the disk may hang)`,
    });
    assert.ok(took >= 1400 && took < 5000, `the check took ${took} ms`);
    // 1.5 s at one tick per 20 ms: dozens of ticks unless the loop was blocked.
    assert.ok(ticks >= 20, `the event loop ticked only ${ticks} times during the hung read`);
  } finally {
    clearInterval(ticker);
  }
});
