// `vigil logs collect` against a control server: wrong usage, an existing output file, and a bundle
// when only the reached server answers (the others are recorded as failed, the exit code is 0).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Manifest } from '../../../src/collect/collect.js';
import { logLine } from '../control/fake-backend.js';
import { startServer, tempDir } from '../control/helpers.js';
import { vigil } from './run-vigil.js';

test('wrong usage exits 2 and says what is wrong', async () => {
  const extra = await vigil(['logs', 'collect', 'now']);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /unexpected argument "now"/);
  const unknown = await vigil(['logs', 'collect', '--lines', '5']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--lines/);
  const empty = await vigil(['logs', 'collect', '--out=']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--out takes a file name/);
  const help = await vigil(['logs', 'collect', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: vigil logs collect/);
});

test('an existing --out file is refused before connecting, and kept', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'bundle.tar.gz');
  writeFileSync(out, 'precious');
  const run = await vigil(['logs', 'collect', '--out', out]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bundle\.tar\.gz exists; give another --out FILE, or --force to replace it/);
  assert.equal(readFileSync(out, 'utf8'), 'precious');
});

test('no agent: exit 2, nothing written', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'b.tar.gz');
  const run = await vigil(['logs', 'collect', '--out', out, '--socket', join(dir, 'none.sock')]);
  assert.equal(run.code, 2);
  assert.ok(!existsSync(out));
});

test('servers that cannot be reached are listed as failed; the bundle has the one that answered', async (t) => {
  const { socket, backend, dir } = await startServer(t);
  for (let n = 0; n < 20; n++) backend.emitLog(logLine(n));
  const out = join(dir, 'b.tar.gz');
  writeFileSync(out, 'old');
  const run = await vigil(['logs', 'collect', '--out', out, '--force', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), out);
  assert.match(run.stderr, /^s1: collected \(\d+\.\d KiB of log\)$/m);
  assert.match(run.stderr, /^s2: failed: status and alerts: server s2 cannot be reached; log: server s2/m);
  assert.match(run.stderr, /collected 1 of 3 servers \(failed: s2, s3; see manifest\.json\)/);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const extracted = join(dir, 'x');
  mkdirSync(extracted);
  execFileSync('tar', ['-xzf', out, '-C', extracted]);
  const [folder] = readdirSync(extracted);
  assert.match(folder ?? '', /^vigil-logs-demo-\d{8}-\d{6}$/);
  const root = join(extracted, folder as string);
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(
    manifest.failed.map((node) => node.name),
    ['s2', 's3'],
  );
  assert.equal(manifest.nodes[0]?.log?.bytes, readFileSync(join(root, 'nodes/s1/vigild.log')).length);
  const lines = readFileSync(join(root, 'nodes/s1/vigild.log'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { event: string }).event),
    backend.logLines.map((line) => line.event),
    'every line, across many pieces',
  );
  assert.ok(!existsSync(join(root, 'nodes/s2/vigild.log')));
});

test('a bundle that cannot be written is exit 1 naming the file, and leaves nothing behind', async (t) => {
  const { socket, dir } = await startServer(t);
  const out = join(dir, 'missing-dir', 'b.tar.gz');
  const run = await vigil(['logs', 'collect', '--out', out, '--socket', socket]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /cannot write .*missing-dir\/b\.tar\.gz: ENOENT/);
  assert.deepEqual(
    readdirSync(dir).filter((name) => name !== 'vigild.sock'),
    [],
  );
});
