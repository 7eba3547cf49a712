// The SSH endpoint's host key file: generated once 0600, reused, refused when others can read it or
// when it holds no key; fingerprints in OpenSSH's SHA256 format.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fingerprintOf, HOST_KEY_FILE, loadOrCreateHostKey } from '../../../src/remote/host-key.js';
import { tempDir } from '../control/helpers.js';

test('the host key is generated 0600 on first use and read back unchanged later', async (t) => {
  const dir = await tempDir(t, 'vigil-hostkey-');
  const first = loadOrCreateHostKey(dir);
  assert.equal(first.created, true);
  assert.equal(first.path, join(dir, HOST_KEY_FILE));
  assert.equal(statSync(first.path).mode & 0o777, 0o600);
  assert.match(first.publicLine, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5/);
  const second = loadOrCreateHostKey(dir);
  assert.equal(second.created, false);
  assert.equal(second.fingerprint, first.fingerprint);
  assert.equal(readFileSync(first.path, 'utf8'), first.privateKey);
});

test('a host key others can read, or a file without a key, is refused with a clear error', async (t) => {
  const dir = await tempDir(t, 'vigil-hostkey-');
  const { path } = loadOrCreateHostKey(dir);
  chmodSync(path, 0o644);
  assert.throws(() => loadOrCreateHostKey(dir), /accessible by others \(mode 644\); run chmod 600/);
  writeFileSync(path, 'not a key\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  assert.throws(() => loadOrCreateHostKey(dir), /not an OpenSSH private key file/);
});

test('fingerprints are SHA256 of the key blob, base64 without padding', () => {
  // sha256("") = e3b0c442…; base64 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
  assert.equal(fingerprintOf(Buffer.alloc(0)), 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
});
