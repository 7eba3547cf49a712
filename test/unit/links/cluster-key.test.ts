import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspect } from 'node:util';
import {
  ClusterKey,
  ClusterKeyError,
  deriveKey,
  loadClusterKey,
  writeClusterKey,
} from '../../../src/agent/cluster-key.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function keyFile(content: string | Buffer, mode = 0o600): string {
  const file = join(dir, `key-${++fileCount}`);
  writeFileSync(file, content, { mode });
  chmodSync(file, mode); // writeFileSync's mode is filtered by the umask
  return file;
}

const SECRET = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(32);

function refusal(call: () => unknown, pattern: RegExp, file: string): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof ClusterKeyError);
    assert.equal(error.file, file);
    assert.match(error.message, pattern);
    assert.ok(error.message.includes(file), 'the error names the file');
    return true;
  });
}

test('writeClusterKey creates 64 hex characters and a newline, mode 0600', () => {
  const file = join(dir, 'generated');
  writeClusterKey(file);
  assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  loadClusterKey(file);
});

test('two generated keys differ', () => {
  writeClusterKey(join(dir, 'one'));
  writeClusterKey(join(dir, 'two'));
  assert.notEqual(readFileSync(join(dir, 'one'), 'utf8'), readFileSync(join(dir, 'two'), 'utf8'));
});

test('writeClusterKey refuses to overwrite, and leaves the old key alone', () => {
  const file = keyFile(SECRET);
  refusal(() => writeClusterKey(file), /already exists; refusing to overwrite/, file);
  assert.equal(readFileSync(file, 'utf8'), SECRET);
});

test('writeClusterKey names a missing directory', () => {
  const file = join(dir, 'no-such-dir', 'key');
  refusal(() => writeClusterKey(file), /directory does not exist/, file);
});

test('a missing key file is refused with the command that creates it', () => {
  const file = join(dir, 'absent');
  refusal(() => loadClusterKey(file), /does not exist: create it once with "vigil key generate /, file);
});

test('a key file readable by group or others is refused with the chmod to run', () => {
  for (const mode of [0o640, 0o604, 0o644, 0o660, 0o666]) {
    const file = keyFile(SECRET, mode);
    refusal(() => loadClusterKey(file), new RegExp(`run "chmod 600 ${file}"`), file);
  }
  loadClusterKey(keyFile(SECRET, 0o400));
});

test('a key shorter than 32 bytes of secret is refused; surrounding whitespace does not count', () => {
  const short = keyFile(`  ${'x'.repeat(31)}\n\n`);
  refusal(() => loadClusterKey(short), /holds 31 bytes of secret, at least 32 are needed/, short);
  const empty = keyFile('\n');
  refusal(() => loadClusterKey(empty), /holds 0 bytes/, empty);
  loadClusterKey(keyFile(`\t${'x'.repeat(32)}\r\n`));
});

test('a directory is not a key file', () => {
  refusal(() => loadClusterKey(dir), /not a regular file/, dir);
});

test('surrounding whitespace does not change the derived keys', () => {
  const plain = loadClusterKey(keyFile(SECRET));
  const padded = loadClusterKey(keyFile(`\n  ${SECRET}  \n\n`));
  assert.deepEqual(deriveKey(plain, 'prod', 'heartbeat'), deriveKey(padded, 'prod', 'heartbeat'));
});

test('derivation is HKDF-SHA256 and stable across releases (pinned vectors)', () => {
  const key = ClusterKey.fromBytes(Buffer.from(SECRET));
  // Checked against an independent HKDF (RFC 5869) computation. If these change, every server of a
  // cluster must be upgraded at once: do not change them lightly.
  assert.equal(
    deriveKey(key, 'prod', 'heartbeat').toString('hex'),
    '41a4a356f5f0bd2eb184dad2239a7cd6a3270cfdb68c94a3f69bc60e97bbbdbe',
  );
  assert.equal(
    deriveKey(key, 'prod', 'peer-psk').toString('hex'),
    '8692b4c3f9f92ec53e9c732578698d1108b0122973b80fe4f378c4b9d83b461c',
  );
});

test('derived keys are 32 bytes and differ by purpose, cluster name and secret', () => {
  const key = ClusterKey.fromBytes(Buffer.from(SECRET));
  const other = ClusterKey.fromBytes(Buffer.from(SECRET.replace('a', 'z')));
  const heartbeat = deriveKey(key, 'prod', 'heartbeat');
  assert.equal(heartbeat.length, 32);
  const all = [
    heartbeat,
    deriveKey(key, 'prod', 'peer-psk'),
    deriveKey(key, 'staging', 'heartbeat'),
    deriveKey(other, 'prod', 'heartbeat'),
  ].map((buffer) => buffer.toString('hex'));
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual(deriveKey(key, 'prod', 'heartbeat'), heartbeat);
});

test('the key never shows in strings, JSON, inspect or errors', () => {
  const file = keyFile(SECRET);
  const key = loadClusterKey(file);
  for (const shown of [String(key), `${key}`, JSON.stringify({ key }), inspect(key), inspect({ key })]) {
    assert.ok(!shown.includes('aaaa'), shown);
    assert.match(shown, /redacted/);
  }
  const loose = keyFile(SECRET, 0o644);
  const short = keyFile('s3cr3t-but-short');
  for (const file of [loose, short]) {
    try {
      loadClusterKey(file);
      assert.fail('should have refused');
    } catch (error) {
      const text = `${(error as Error).message} ${(error as Error).stack}`;
      assert.ok(!text.includes('aaaa') && !text.includes('s3cr3t'), text);
    }
  }
});

test('ClusterKey.fromBytes refuses a short secret', () => {
  assert.throws(() => ClusterKey.fromBytes(Buffer.alloc(31)), /at least 32 bytes/);
});
