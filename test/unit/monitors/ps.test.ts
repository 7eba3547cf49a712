// ps counts real processes by name and by command line.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratch } from '../resources/helpers.js';
import { checkUntil, driverFor } from './check.js';

function start(t: import('node:test').TestContext, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  return child;
}

test('ps by name counts the processes of that name and names their pids', async (t) => {
  const s = scratch(t);
  const name = `vps${process.pid % 1_000_000}`;
  const binary = join(s.dir, name);
  copyFileSync('/bin/sleep', binary);
  const { check } = driverFor('ps', { process: name, min: 2, max: 3 });
  const first = await check();
  assert.deepEqual(first, { ok: false, detail: `0 processes named ${name}; expected at least 2` });

  const children = [1, 2].map(() => start(t, binary, ['60']));
  const pids = children.map((child) => child.pid).sort((a, b) => (a ?? 0) - (b ?? 0));
  const two = await checkUntil(check, (r) => r.ok, 'two processes');
  assert.deepEqual(two, { ok: true, detail: `2 processes named ${name} (pid ${pids.join(', ')})` });

  [3, 4].forEach(() => start(t, binary, ['60']));
  const four = await checkUntil(check, (r) => !r.ok, 'four processes');
  assert.match(four.detail, new RegExp(`^4 processes named ${name} \\(pid .*\\); expected at most 3$`));

  children[0]?.kill('SIGKILL');
  await checkUntil(check, (r) => r.ok && r.detail.startsWith('3 processes'), 'three processes after a kill');
});

test('ps by pattern matches the command line, not the agent itself', async (t) => {
  const marker = `${process.pid}.${Date.now() % 100000}`;
  const { check } = driverFor('ps', { pattern: `^sleep 3${marker}$` });
  assert.equal((await check()).ok, false);
  const child = start(t, 'sleep', [`3${marker}`]);
  const result = await checkUntil(check, (r) => r.ok, 'the sleep to show');
  assert.equal(result.detail, `1 process matching /^sleep 3${marker}$/ (pid ${child.pid})`);
});

test('ps without name or pattern says what is missing', async () => {
  const { check } = driverFor('ps', {});
  assert.deepEqual(await check(), {
    ok: false,
    detail: 'ps monitor ps-test needs exactly one of process or pattern',
  });
});
