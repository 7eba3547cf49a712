import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSshPublicKey } from '../../../src/config/ssh-key.js';

function keyLine(type: string, embedded = type): string {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return `${type} ${Buffer.concat([field(Buffer.from(embedded)), field(Buffer.alloc(32, 7))]).toString('base64')} someone@host`;
}

test('a well-formed public key line passes', () => {
  assert.equal(explainSshPublicKey(keyLine('ssh-ed25519')), undefined);
  assert.equal(explainSshPublicKey(keyLine('ecdsa-sha2-nistp256')), undefined);
});

test('a key whose data is for another type is refused', () => {
  assert.equal(
    explainSshPublicKey(keyLine('ssh-ed25519', 'ssh-rsa'))?.message,
    'the key data is for "ssh-rsa" but the line says "ssh-ed25519"',
  );
});

test('private keys, unknown types, missing data and bad base64 are refused', () => {
  assert.equal(explainSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----')?.message, 'this is a private key');
  assert.equal(explainSshPublicKey('ssh-dss AAAA')?.message, 'unsupported key type "ssh-dss"');
  assert.equal(explainSshPublicKey('ssh-ed25519')?.message, 'expected "<type> <base64 key> [comment]"');
  assert.equal(explainSshPublicKey('ssh-ed25519 not*base64')?.message, 'the key data is not valid base64');
});
