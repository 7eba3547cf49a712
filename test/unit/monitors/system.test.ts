// system against this machine's real values: a limit below the current use fails, one above passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratch } from '../resources/helpers.js';
import { checkUntil, driverFor } from './check.js';

test('memory: an error limit of 0 % fails (something is always in use), 100 % passes', async () => {
  const low = await driverFor('system', { memory: { error: 0 } }).check();
  assert.equal(low.ok, false);
  assert.match(low.detail, /^memory [0-9]+% \(error above 0\)$/);
  const high = await driverFor('system', { memory: { warning: 100, error: 100 } }).check();
  assert.equal(high.ok, true);
  assert.equal(high.warning, undefined);
  assert.match(high.detail, /^memory [0-9]+%$/);
});

test('a warning limit below the current use passes the check with a warning', async () => {
  const result = await driverFor('system', { memory: { warning: 0, error: 100 } }).check();
  assert.equal(result.ok, true);
  assert.equal(result.warning, true);
  assert.match(result.detail, /^memory [0-9]+% \(warning above 0\)$/);
});

test('disk space of the temp dir: error below its use, ok above; a missing path is an error', async () => {
  const dir = tmpdir();
  const bad = await driverFor('system', { disks: [{ path: dir, error: 0 }] }).check();
  assert.equal(bad.ok, false);
  assert.match(bad.detail, new RegExp(`^${dir} [0-9]+% used \\(error above 0\\)$`));
  const good = await driverFor('system', { disks: [{ path: dir, error: 100 }] }).check();
  assert.equal(good.ok, true, good.detail);
  const missing = await driverFor('system', { disks: [{ path: '/vigil/no/such/path' }] }).check();
  assert.deepEqual(missing, { ok: false, detail: 'cannot read the space of /vigil/no/such/path: ENOENT' });
});

test('CPU, swap and load within generous limits are ok and show their values', async () => {
  const result = await driverFor('system', {
    cpu: { error: 100 },
    swap: { error: 100 },
    load: { error: 100_000 },
  }).check();
  assert.equal(result.ok, true, result.detail);
  assert.match(result.detail, /^CPU [0-9]+%, swap [0-9]+%, load [0-9.]+ on [0-9]+ CPUs$/);
});

test('a busy named process: its CPU over a 0 % limit fails, its memory is summed', async (t) => {
  const s = scratch(t);
  const name = `vsy${process.pid % 1_000_000}`;
  const binary = join(s.dir, name);
  copyFileSync('/bin/sh', binary);
  writeFileSync(join(s.dir, 'spin'), 'while :; do :; done\n');
  const child = spawn(binary, [join(s.dir, 'spin')], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const { check } = driverFor('system', {
    processes: [{ name, cpu: { error: 0 }, memoryMb: { error: 100_000 } }],
  });
  // The first check only takes the first CPU sample of the process.
  const result = await checkUntil(check, (r) => !r.ok, 'the spinning process to show CPU use');
  assert.match(result.detail, new RegExp(`^${name} CPU [0-9]+% \\(error above 0\\)$`));
  const memory = await driverFor('system', { processes: [{ name, memoryMb: { warning: 0 } }] }).check();
  assert.equal(memory.warning, true);
  assert.match(memory.detail, new RegExp(`^${name} memory [0-9]+ MiB \\(warning above 0\\)$`));
});

test('nothing configured says so', async () => {
  assert.deepEqual(await driverFor('system', {}).check(), {
    ok: true,
    detail: 'nothing to watch: set cpu, memory, swap, load, disks or processes',
  });
});
