// The cluster key: one secret file, identical on every server, from which every inter-node key is
// derived (HKDF). The secret itself never leaves this module in printable form: ClusterKey redacts
// itself in logs, JSON and inspect output, and no error message ever quotes file contents.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/** Fewer bytes than this is too little entropy to authenticate a cluster. */
export const MIN_CLUSTER_KEY_BYTES = 32;

/** What each derived key is for; a key derived for one purpose is useless for the other. */
export type KeyPurpose = 'heartbeat' | 'peer-psk' | 'witness';

const REDACTED = '[cluster key redacted]';

export class ClusterKeyError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterKeyError';
  }
}

/** The loaded secret. Hand it to deriveKey(); printing it in any way shows only a placeholder. */
export class ClusterKey {
  readonly #secret: Buffer;

  private constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** For tests and tools that already hold the secret bytes. */
  static fromBytes(secret: Buffer): ClusterKey {
    if (secret.length < MIN_CLUSTER_KEY_BYTES)
      throw new RangeError(
        `a cluster key needs at least ${MIN_CLUSTER_KEY_BYTES} bytes of secret, got ${secret.length}`,
      );
    return new ClusterKey(Buffer.from(secret));
  }

  /** HKDF input keying material; only deriveKey() should call this. */
  secretBytes(): Buffer {
    return this.#secret;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

const ASCII_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);

/** Trims bytes, not characters, so a binary key file stays byte-exact inside. */
function trimWhitespace(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  while (start < end && ASCII_WHITESPACE.has(bytes[start] as number)) start++;
  while (end > start && ASCII_WHITESPACE.has(bytes[end - 1] as number)) end--;
  return bytes.subarray(start, end);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? code : String(error);
}

/** Reads and checks the cluster key file; every refusal names the file and says what to do. */
export function loadClusterKey(file: string): ClusterKey {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ClusterKeyError(
        file,
        `cluster key file ${file} does not exist: create it once with "vigil key generate ${file}" and copy it (mode 0600) to every server`,
      );
    throw new ClusterKeyError(file, `cannot read cluster key file ${file}: ${describeFsError(error)}`);
  }
  if (!stat.isFile()) throw new ClusterKeyError(file, `cluster key file ${file} is not a regular file`);
  const loose = stat.mode & 0o077;
  if (loose !== 0)
    throw new ClusterKeyError(
      file,
      `cluster key file ${file} is accessible by group or others (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}): run "chmod 600 ${file}"`,
    );
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new ClusterKeyError(file, `cannot read cluster key file ${file}: ${describeFsError(error)}`);
  }
  const secret = trimWhitespace(content);
  if (secret.length < MIN_CLUSTER_KEY_BYTES)
    throw new ClusterKeyError(
      file,
      `cluster key file ${file} holds ${secret.length} bytes of secret, at least ${MIN_CLUSTER_KEY_BYTES} are needed: generate a new one with "vigil key generate FILE"`,
    );
  return ClusterKey.fromBytes(secret);
}

/**
 * Creates a new random cluster key file (32 random bytes as 64 hex characters and a newline), mode
 * 0600. Refuses to overwrite: replacing the key of a running cluster cuts its servers off each other.
 */
export function writeClusterKey(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new ClusterKeyError(
        file,
        `${file} already exists; refusing to overwrite a cluster key (remove it first if you really mean to replace the key on every server)`,
      );
    if (code === 'ENOENT')
      throw new ClusterKeyError(file, `cannot create ${file}: its directory does not exist`);
    throw new ClusterKeyError(file, `cannot create ${file}: ${describeFsError(error)}`);
  }
  let stillOpen = true;
  try {
    // The umask can only clear bits, but a filesystem with odd defaults could add some: check.
    if ((fstatSync(fd).mode & 0o077) !== 0)
      throw new ClusterKeyError(file, `${file} was created with a mode wider than 0600`);
    writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    fsyncSync(fd);
    stillOpen = false;
    closeSync(fd);
  } catch (error) {
    // Leave no half-written key behind: the next attempt would refuse to overwrite it.
    if (stillOpen) closeSync(fd);
    unlinkSync(file);
    if (error instanceof ClusterKeyError) throw error;
    throw new ClusterKeyError(file, `cannot write ${file}: ${describeFsError(error)}`);
  }
}

/**
 * Derives a 32-byte key for one purpose. The cluster name is part of the derivation, so two clusters
 * that were (wrongly) given the same key file still cannot read or forge each other's traffic.
 */
export function deriveKey(clusterKey: ClusterKey, clusterName: string, purpose: KeyPurpose): Buffer {
  const salt = Buffer.from(`vigil cluster ${clusterName}`, 'utf8');
  const info = Buffer.from(`vigil ${purpose} v1`, 'utf8');
  return Buffer.from(hkdfSync('sha256', clusterKey.secretBytes(), salt, info, 32));
}
