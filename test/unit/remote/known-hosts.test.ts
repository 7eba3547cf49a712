// known_hosts: plain and wildcard patterns, ports, negation, hashed names, @revoked, mismatches with
// their line number, and appending new keys with safe permissions.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addHostKey,
  fingerprintOf,
  hashHostName,
  hostFieldMatches,
  judgeHostKey,
  keyTypeOf,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/remote/known-hosts.js';
import { tempDir } from '../control/helpers.js';

/** A fake but well-formed key blob: the type as an SSH string, then some bytes. */
function blob(type: string, seed: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, createHash('sha256').update(seed).digest()]);
}

const ed1 = blob('ssh-ed25519', 'one');
const ed2 = blob('ssh-ed25519', 'two');
const ecdsa = blob('ecdsa-sha2-nistp256', 'three');
const b64 = (key: Buffer) => key.toString('base64');

test('fingerprints are in OpenSSH form: SHA256: and unpadded base64', () => {
  const expected = createHash('sha256').update(ed1).digest('base64').replace(/=+$/, '');
  assert.equal(fingerprintOf(ed1), `SHA256:${expected}`);
  assert.equal(fingerprintOf(ed1).endsWith('='), false);
  assert.equal(keyTypeOf(ed1), 'ssh-ed25519');
  assert.equal(keyTypeOf(Buffer.from([0, 0])), undefined);
});

test('host patterns: comma lists, [host]:port, wildcards, negation, case', () => {
  assert.ok(hostFieldMatches('h1,h2', 'h2'));
  assert.ok(hostFieldMatches('H1.example.com', 'h1.example.com'));
  assert.ok(!hostFieldMatches('h1', '[h1]:29022'), 'a plain name is port 22 only');
  assert.ok(hostFieldMatches('[h1]:29022', '[h1]:29022'));
  assert.ok(!hostFieldMatches('[h1]:29022', '[h1]:29023'));
  assert.ok(hostFieldMatches('*.example.com', 'db.example.com'));
  assert.ok(hostFieldMatches('[*.example.com]:29022', '[db.example.com]:29022'));
  assert.ok(hostFieldMatches('h?', 'h7'));
  assert.ok(!hostFieldMatches('h?', 'h10'));
  assert.ok(!hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com'));
  assert.ok(hostFieldMatches('*.example.com,!bad.example.com', 'good.example.com'));
  assert.ok(!hostFieldMatches('!h1', 'h2'), 'a negation alone matches nothing');
  assert.ok(!hostFieldMatches('h.1', 'hx1'), 'dots are literal');
});

test('hashed entries (HMAC-SHA1 of the name under a salt) match only their host and port', () => {
  const salt = randomBytes(20);
  const hashed = hashHostName('[10.0.0.5]:29022', salt);
  assert.match(hashed, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/);
  assert.ok(hostFieldMatches(hashed, '[10.0.0.5]:29022'));
  assert.ok(!hostFieldMatches(hashed, '10.0.0.5'));
  assert.ok(!hostFieldMatches(hashed, '[10.0.0.6]:29022'));
  const entries = parseKnownHosts(`${hashed} ssh-ed25519 ${b64(ed1)}\n`);
  assert.equal(judgeHostKey(entries, 'kh', '10.0.0.5', 29022, 'ssh-ed25519', ed1).result, 'match');
  const changed = judgeHostKey(entries, 'kh', '10.0.0.5', 29022, 'ssh-ed25519', ed2);
  assert.equal(changed.result, 'mismatch');
});

test('parsing skips comments, blank and broken lines, and keeps line numbers and markers', () => {
  const text = [
    '# a comment',
    '',
    `h1 ssh-ed25519 ${b64(ed1)} comment words`,
    'broken-line',
    `@revoked * ssh-ed25519 ${b64(ed2)}`,
    `@cert-authority *.example.com ssh-ed25519 ${b64(ecdsa)}`,
    `@unknown h1 ssh-ed25519 ${b64(ed1)}`,
    `h2 ssh-ed25519 not!base64`,
  ].join('\n');
  const entries = parseKnownHosts(text);
  assert.deepEqual(
    entries.map((entry) => [entry.line, entry.marker, entry.hosts]),
    [
      [3, undefined, 'h1'],
      [5, 'revoked', '*'],
      [6, 'cert-authority', '*.example.com'],
    ],
  );
});

test('verdicts: match, unknown (with known types), mismatch with file and line, revoked', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'known_hosts');
  await writeFile(
    file,
    [
      '# vigil nodes',
      `h1 ssh-ed25519 ${b64(ed1)}`,
      `[h1]:29022 ecdsa-sha2-nistp256 ${b64(ecdsa)}`,
      `@cert-authority * ssh-ed25519 ${b64(ed2)}`,
      `[h2]:29022,[h3]:29022 ssh-ed25519 ${b64(ed1)}`,
      `@revoked * ssh-ed25519 ${b64(blob('ssh-ed25519', 'stolen'))}`,
    ].join('\n'),
  );
  assert.deepEqual(await verifyHostKey(file, 'h1', 22, 'ssh-ed25519', ed1), {
    result: 'match',
    file,
    line: 2,
    fingerprint: fingerprintOf(ed1),
  });
  assert.deepEqual(await verifyHostKey(file, 'h3', 29022, 'ssh-ed25519', ed1), {
    result: 'match',
    file,
    line: 5,
    fingerprint: fingerprintOf(ed1),
  });
  assert.deepEqual(await verifyHostKey(file, 'h2', 29022, 'ssh-ed25519', ed2), {
    result: 'mismatch',
    file,
    line: 5,
    fingerprint: fingerprintOf(ed2),
    expectedFingerprint: fingerprintOf(ed1),
  });
  // Known only by another key type: not a mismatch, but the types are reported.
  assert.deepEqual(await verifyHostKey(file, 'h1', 29022, 'ssh-ed25519', ed1), {
    result: 'unknown',
    fingerprint: fingerprintOf(ed1),
    knownTypes: ['ecdsa-sha2-nistp256'],
  });
  assert.deepEqual(await verifyHostKey(file, 'h9', 22, 'ssh-ed25519', ed1), {
    result: 'unknown',
    fingerprint: fingerprintOf(ed1),
    knownTypes: [],
  });
  const stolen = blob('ssh-ed25519', 'stolen');
  assert.deepEqual(await verifyHostKey(file, 'h1', 22, 'ssh-ed25519', stolen), {
    result: 'revoked',
    file,
    line: 6,
    fingerprint: fingerprintOf(stolen),
  });
  // @cert-authority lines are not host keys.
  assert.equal((await verifyHostKey(file, 'h8', 22, 'ssh-ed25519', ed2)).result, 'unknown');
  // A missing file knows no host.
  assert.equal((await verifyHostKey(join(dir, 'none'), 'h1', 22, 'ssh-ed25519', ed1)).result, 'unknown');
});

test('addHostKey appends a plain line, creating the file 0600 and its directory 0700', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'ssh', 'known_hosts');
  await addHostKey(file, 'h1', 29022, 'ssh-ed25519', ed1);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 'ssh'))).mode & 0o777, 0o700);
  await writeFile(file, `${await readFile(file, 'utf8')}# no newline at the end`);
  await addHostKey(file, 'h2', 22, 'ssh-ed25519', ed2);
  assert.equal(
    await readFile(file, 'utf8'),
    `[h1]:29022 ssh-ed25519 ${b64(ed1)}\n# no newline at the end\nh2 ssh-ed25519 ${b64(ed2)}\n`,
  );
  assert.equal((await verifyHostKey(file, 'h1', 29022, 'ssh-ed25519', ed1)).result, 'match');
  assert.equal((await verifyHostKey(file, 'h2', 22, 'ssh-ed25519', ed2)).result, 'match');
});
