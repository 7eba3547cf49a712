// The OpenSSH key formats the agent needs without loading ssh2 (which costs an idle agent about
// 5 MB): writing a new ed25519 host key in the "openssh-key-v1" container, reading the public key
// blob back out of one, and reading an authorized_keys-style public key line. ssh2 itself is loaded
// when the first operator connects (agent-endpoint.ts), and it parses these same keys then.
//
// openssh-key-v1 (OpenSSH's PROTOCOL.key): "openssh-key-v1\0", string cipher, string kdf,
// string kdf options, uint32 key count, string public key blob, string private section; the private
// section is uint32 check, uint32 check (equal), string type, string public, string private
// (seed ‖ public), string comment, then padding bytes 1, 2, 3 … to a multiple of 8.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const PEM_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const PEM_END = '-----END OPENSSH PRIVATE KEY-----';
const ED25519 = 'ssh-ed25519';

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** Reads SSH wire fields in order; a field running past the end is an error naming `what`. */
class WireReader {
  private offset = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly what: string,
  ) {}

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error(`${this.what}: truncated`);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): Buffer {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error(`${this.what}: truncated`);
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

/** The key type named inside a public key blob (`ssh-ed25519`, `ssh-rsa` …). */
export function blobType(blob: Buffer, what: string): string {
  return new WireReader(blob, what).string().toString('latin1');
}

/** A new ed25519 key pair as an unencrypted OpenSSH private key file (PEM armour, 70-column base64). */
export function generateOpenSshEd25519(comment = ''): string {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d as string, 'base64url');
  const publicKey = Buffer.from(jwk.x as string, 'base64url');
  const publicBlob = Buffer.concat([sshString(ED25519), sshString(publicKey)]);
  const check = randomBytes(4).readUInt32BE(0);
  const unpadded = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(ED25519),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([
    MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([unpadded, padding])),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return `${PEM_BEGIN}\n${lines.join('\n')}\n${PEM_END}\n`;
}

/**
 * The public key blob of an unencrypted, single-key OpenSSH private key file; throws an error naming
 * `what` when the text is not one (another format, a passphrase, several keys, a corrupt body).
 */
export function publicBlobOfPrivateKey(text: string, what: string): Buffer {
  const begin = text.indexOf(PEM_BEGIN);
  const end = text.indexOf(PEM_END);
  if (begin < 0 || end < begin) throw new Error(`${what}: not an OpenSSH private key file`);
  const bytes = Buffer.from(text.slice(begin + PEM_BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error(`${what}: not an OpenSSH private key file`);
  const reader = new WireReader(bytes.subarray(MAGIC.length), what);
  const cipher = reader.string().toString('latin1');
  if (cipher !== 'none')
    throw new Error(`${what}: the key has a passphrase (cipher ${cipher}); the agent needs it without one`);
  reader.string(); // kdf name
  reader.string(); // kdf options
  if (reader.uint32() !== 1) throw new Error(`${what}: holds more than one key`);
  const publicBlob = reader.string();
  const secret = new WireReader(reader.string(), what);
  if (secret.uint32() !== secret.uint32())
    throw new Error(`${what}: the private part is corrupt (check bytes differ)`);
  const type = secret.string().toString('latin1');
  if (type !== blobType(publicBlob, what)) throw new Error(`${what}: the public and private parts disagree`);
  return publicBlob;
}

/** `TYPE BASE64 [comment]` as in authorized_keys: the blob, checked to name the same type. */
export function parsePublicKeyLine(line: string, what: string): { type: string; blob: Buffer } {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64 || !/^[A-Za-z0-9+/]+=*$/.test(base64))
    throw new Error(`${what}: not an SSH public key line ("TYPE BASE64 [comment]")`);
  const blob = Buffer.from(base64, 'base64');
  if (blobType(blob, what) !== type) throw new Error(`${what}: the key data is not a ${type} key`);
  return { type, blob };
}
