import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/sim/cli.js', import.meta.url));
const sim = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--schedules ends with the exact summary line and exits 0 without violations', () => {
  const r = sim('--schedules', '6', '--servers', '2,3', '--from', '10', '--jobs', '1');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[lines.length - 1], '6 schedules, 0 violations');
});

test('--seed replays one schedule and prints the model and schedule; --trace prints the trace', () => {
  const r = sim('--seed', '4', '--servers', '3');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^model: servers s1/m);
  assert.match(r.stdout, /seed 4 servers 3: ok/);
  const traced = sim('--seed', '4', '--servers', '3', '--trace');
  assert.match(traced.stdout, /s1 +boot +agent starts, incarnation 1/);
  assert.match(traced.stdout, /claim g\d epoch \d+/);
});

test('an unsafe engine makes --schedules exit 1 with the seed and the replay command', () => {
  const r = sim('--schedules', '60', '--servers', '3', '--unsafe', 'skipTakeoverDelay', '--jobs', '1');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /VIOLATION of safety — seed \d+, 3 servers/);
  assert.match(r.stdout, /replay: npm run sim -- --seed \d+ --servers 3 --unsafe skipTakeoverDelay/);
  assert.match(r.stdout.trim().split('\n').pop()!, /^60 schedules, [1-9]\d* violations$/);
});

test('bad arguments are refused with the usage', () => {
  const r = sim('--servers', '1', '--seed', '1');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--servers: each count must be 2 to 64/);
  assert.match(r.stderr, /usage:/);
});
