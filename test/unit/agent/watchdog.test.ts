// The watchdog against stand-ins for the device (a regular file, a FIFO: there is no /dev/watchdog
// here) and for systemd-notify (a recording script first on PATH).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger, type LogRecord } from '../../../src/agent/logger.js';
import { Watchdog } from '../../../src/agent/watchdog.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-watchdog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function clock() {
  const c = { t: 0, now: () => c.t };
  return c;
}

test('the device is fed once per interval, however often the engine ticks, and closed with "V"', () => {
  const device = join(dir, 'watchdog');
  writeFileSync(device, '');
  const c = clock();
  const records: LogRecord[] = [];
  const dog = new Watchdog({
    device,
    intervalMs: 500,
    logger: createLogger({ sink: (r) => records.push(r) }),
    env: {},
    now: c.now,
  });
  dog.open();
  for (c.t = 0; c.t < 2000; c.t += 125) dog.feed();
  assert.equal(readFileSync(device, 'latin1'), '\0\0\0\0');
  dog.close();
  assert.equal(readFileSync(device, 'latin1'), '\0\0\0\0V');
  assert.deepEqual(
    records.map((r) => r.event),
    ['watchdog-armed', 'watchdog-disarmed'],
  );
});

test('a device that cannot be opened is a clear error (a FIFO with no reader, a missing file)', () => {
  const fifo = join(dir, 'fifo-alone');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const logger = createLogger({});
  assert.throws(
    () => new Watchdog({ device: fifo, intervalMs: 100, logger, env: {} }).open(),
    /cannot open the watchdog .*fifo-alone: .*ENXIO.*cluster\.watchdog\.device/,
  );
  assert.throws(
    () => new Watchdog({ device: join(dir, 'missing'), intervalMs: 100, logger, env: {} }).open(),
    /ENOENT/,
  );
});

test('a FIFO standing in for the device receives the feeds and the magic close', async () => {
  const fifo = join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const reader = spawn('cat', [fifo]);
  let got = '';
  reader.stdout.on('data', (d: Buffer) => (got += d.toString('latin1')));
  const ended = new Promise((resolve) => reader.on('close', resolve));
  const c = clock();
  const dog = new Watchdog({ device: fifo, intervalMs: 100, logger: createLogger({}), env: {}, now: c.now });
  // cat opens the FIFO a little after it starts: retry the open until it is there.
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      dog.open();
      break;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  for (c.t = 0; c.t < 300; c.t += 100) dog.feed();
  dog.close();
  await ended;
  assert.equal(got, '\0\0\0V');
});

test('systemd watchdog: WATCHDOG=1 through systemd-notify every half WATCHDOG_USEC', async () => {
  const bin = join(dir, 'bin');
  spawnSync('mkdir', [bin]);
  const marker = join(dir, 'notify.log');
  writeFileSync(join(bin, 'systemd-notify'), `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> '${marker}'\n`);
  chmodSync(join(bin, 'systemd-notify'), 0o755);
  const env = { PATH: `${bin}:/usr/bin:/bin`, NOTIFY_SOCKET: '/run/test.sock', WATCHDOG_USEC: '2000000' };
  const c = clock();
  const dog = new Watchdog({ intervalMs: 100, logger: createLogger({}), env, now: c.now });
  dog.open();
  dog.feed();
  const deadline = Date.now() + 10_000;
  while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(readFileSync(marker, 'utf8'), `/run/test.sock --pid=${process.pid} WATCHDOG=1\n`);
  await new Promise((r) => setTimeout(r, 200));
  c.t = 500;
  dog.feed(); // not due: every 1000 ms
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(readFileSync(marker, 'utf8').trim().split('\n').length, 1);
  c.t = 1000;
  // Due again; fed until the first systemd-notify has returned (one runs at a time).
  while (readFileSync(marker, 'utf8').trim().split('\n').length < 2 && Date.now() < deadline) {
    dog.feed();
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(readFileSync(marker, 'utf8').trim().split('\n').length, 2);
  // Without NOTIFY_SOCKET, nothing is sent.
  const quiet = new Watchdog({
    intervalMs: 100,
    logger: createLogger({}),
    env: { PATH: env.PATH },
    now: c.now,
  });
  quiet.feed();
  assert.equal(readFileSync(marker, 'utf8').trim().split('\n').length, 2);
});
