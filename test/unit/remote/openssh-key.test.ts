// The OpenSSH key formats the agent reads and writes without ssh2: a generated host key must be one
// that ssh2 and OpenSSH's own ssh-keygen read as the same key, and broken files get clear errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ssh2, { type ParsedKey } from 'ssh2';
import { fingerprintOf } from '../../../src/remote/host-key.js';
import {
  generateOpenSshEd25519,
  parsePublicKeyLine,
  publicBlobOfPrivateKey,
} from '../../../src/remote/openssh-key.js';
import { tempDir } from '../control/helpers.js';

test('a generated ed25519 key reads back as the same key in ssh2 and in ssh-keygen', async (t) => {
  const dir = await tempDir(t, 'vigil-openssh-key-');
  for (let round = 0; round < 20; round++) {
    const text = generateOpenSshEd25519();
    const blob = publicBlobOfPrivateKey(text, 'generated');
    const parsed = ssh2.utils.parseKey(text) as ParsedKey | Error;
    assert.ok(!(parsed instanceof Error), `ssh2 refused round ${round}: ${String(parsed)}`);
    assert.equal(parsed.isPrivateKey(), true);
    assert.deepEqual(parsed.getPublicSSH(), blob);
    // The key signs, and its public half verifies the signature.
    const signature = parsed.sign(Buffer.from('hello'));
    assert.equal(parsed.verify(Buffer.from('hello'), signature), true);
    const file = join(dir, `key${round}`);
    writeFileSync(file, text, { mode: 0o600 });
    const publicLine = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
    assert.deepEqual(parsePublicKeyLine(publicLine, 'ssh-keygen').blob, blob);
    const listed = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
    assert.ok(listed.includes(fingerprintOf(blob)), listed);
  }
});

test('a key with a passphrase, another format, or a corrupt body is refused with a clear error', () => {
  const good = generateOpenSshEd25519();
  assert.throws(
    () => publicBlobOfPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n', 'k'),
    /k: not an OpenSSH private key file/,
  );
  const body = Buffer.from(good.split('\n').slice(1, -2).join(''), 'base64');
  const armour = (bytes: Buffer) =>
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${bytes.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
  // Cipher "none" → "aes2" (same length): a passphrase-protected key.
  const encrypted = Buffer.from(body);
  encrypted.write('aes2', 15 + 4, 'latin1');
  assert.throws(() => publicBlobOfPrivateKey(armour(encrypted), 'k'), /passphrase \(cipher aes2\)/);
  assert.throws(() => publicBlobOfPrivateKey(armour(body.subarray(0, 60)), 'k'), /k: truncated/);
  const mismatched = Buffer.from(body);
  // The first check int sits right after the private section's length field.
  const privateStart = body.indexOf(Buffer.from('ssh-ed25519', 'latin1'), 60) - 4 - 8;
  mismatched[privateStart] = (mismatched[privateStart] ?? 0) ^ 0xff;
  assert.throws(() => publicBlobOfPrivateKey(armour(mismatched), 'k'), /check bytes differ/);
});

test('public key lines are read as authorized_keys has them, and a mislabelled key is refused', () => {
  const blob = publicBlobOfPrivateKey(generateOpenSshEd25519(), 'k');
  const line = `ssh-ed25519 ${blob.toString('base64')} alice@desk`;
  assert.deepEqual(parsePublicKeyLine(line, 'alice'), { type: 'ssh-ed25519', blob });
  assert.throws(
    () => parsePublicKeyLine(`ssh-rsa ${blob.toString('base64')}`, 'alice'),
    /alice: the key data is not a ssh-rsa key/,
  );
  assert.throws(() => parsePublicKeyLine('ssh-ed25519', 'alice'), /alice: not an SSH public key line/);
  assert.throws(() => parsePublicKeyLine('ssh-ed25519 AAAA', 'alice'), /alice: truncated/);
});
