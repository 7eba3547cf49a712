// The tar writer against the real tar binary: what it writes, tar lists and extracts byte for byte.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { tarArchive, tarGz } from '../../../src/collect/tar.js';
import { tempDir } from '../control/helpers.js';

const longDir = `bundle/${'deep-folder-name/'.repeat(5)}more`;
const longPath = `${longDir}/${'a-rather-long-file-name-'.repeat(3)}.log`;

test('tar lists and extracts every entry with its bytes, mode and time, long paths included', async (t) => {
  const dir = await tempDir(t);
  const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  const mtime = new Date('2025-03-04T05:06:07Z');
  const archive = join(dir, 'b.tar.gz');
  writeFileSync(
    archive,
    tarGz([
      { path: 'bundle', directory: true, mtime },
      { path: 'bundle/empty.txt', data: '', mtime },
      { path: 'bundle/exactly-512', data: 'x'.repeat(512), mtime },
      { path: 'bundle/binary.bin', data: binary, mtime },
      { path: 'bundle/ünïcode.txt', data: 'grüße\n', mtime },
      { path: longPath, data: 'deep\n', mtime, mode: 0o640 },
    ]),
  );
  assert.ok(longPath.length > 100, 'the long path needs the ustar prefix field');
  const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(listed, [
    'bundle/',
    'bundle/empty.txt',
    'bundle/exactly-512',
    'bundle/binary.bin',
    'bundle/ünïcode.txt',
    longPath,
  ]);
  const out = join(dir, 'out');
  mkdirSync(out);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  assert.equal(readFileSync(join(out, 'bundle/empty.txt'), 'utf8'), '');
  assert.equal(readFileSync(join(out, 'bundle/exactly-512'), 'utf8'), 'x'.repeat(512));
  assert.deepEqual(readFileSync(join(out, 'bundle/binary.bin')), binary);
  assert.equal(readFileSync(join(out, 'bundle/ünïcode.txt'), 'utf8'), 'grüße\n');
  assert.equal(readFileSync(join(out, longPath), 'utf8'), 'deep\n');
  const stat = statSync(join(out, 'bundle/binary.bin'));
  assert.equal(stat.mode & 0o777, 0o600);
  assert.equal(stat.mtime.getTime(), mtime.getTime());
  assert.equal(statSync(join(out, longPath)).mode & 0o777, 0o640);
  // GNU tar's verbose listing shows the ustar owner and the size.
  const verbose = execFileSync('tar', ['-tvzf', archive], { encoding: 'utf8' });
  assert.match(verbose, /-rw------- root\/root +3000 2025-03-04 05:06 bundle\/binary\.bin/);
});

test('the archive is whole blocks and ends with two zero blocks', () => {
  const archive = tarArchive([{ path: 'a.txt', data: 'hello' }]);
  assert.equal(archive.length, 512 + 512 + 1024);
  assert.ok(archive.subarray(1024).every((byte) => byte === 0));
  assert.equal(gunzipSync(tarGz([{ path: 'a.txt', data: 'hello' }])).length, archive.length);
});

test('unsafe or impossible paths are refused', () => {
  assert.throws(() => tarArchive([{ path: '/etc/passwd', data: '' }]), /relative path/);
  assert.throws(() => tarArchive([{ path: 'a/../../b', data: '' }]), /relative path/);
  assert.throws(() => tarArchive([{ path: 'a//b', data: '' }]), /relative path/);
  assert.throws(() => tarArchive([{ path: 'x'.repeat(101), data: '' }]), /too long/);
  assert.throws(() => tarArchive([{ path: 'd', directory: true, data: 'x' }]), /directory has no data/);
});
