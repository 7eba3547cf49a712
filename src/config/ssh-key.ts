// Checks an OpenSSH public key line (`type base64 [comment]`, as in authorized_keys) well enough to
// catch a pasted private key, a truncated line or a key of another type; ssh2 parses it for real later.

import type { Explanation } from './explanation.js';

export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-rsa',
];

const HINT = 'paste one line of a .pub file, e.g. "ssh-ed25519 AAAAC3Nza... alice@laptop"';

export function explainSshPublicKey(line: string): Explanation | undefined {
  if (line.includes('PRIVATE KEY')) {
    return {
      message: 'this is a private key',
      hint: 'use the public key (the .pub file); never put a private key here',
    };
  }
  const [type, data] = line.trim().split(/\s+/);
  if (type === undefined || type === '' || data === undefined) {
    return { message: 'expected "<type> <base64 key> [comment]"', hint: HINT };
  }
  if (!SSH_KEY_TYPES.includes(type)) {
    return { message: `unsupported key type "${type}"`, hint: `use one of: ${SSH_KEY_TYPES.join(', ')}` };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) {
    return {
      message: 'the key data is not valid base64',
      hint: 'the line may be cut or wrapped; copy it again',
    };
  }
  const embedded = embeddedKeyType(Buffer.from(data, 'base64'));
  if (embedded !== type) {
    return {
      message: `the key data is for "${embedded ?? 'an unknown type'}" but the line says "${type}"`,
      hint: 'copy the whole line of the .pub file unchanged',
    };
  }
  return undefined;
}

/** The key blob starts with its own type name as an SSH string (uint32 length + bytes). */
function embeddedKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}
