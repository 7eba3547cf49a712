// The SSH endpoint's host key: ed25519, generated on the first start at STATE_DIR/ssh_host_ed25519_key
// (mode 0600) and reused afterwards, so operators' known_hosts entries stay valid across restarts.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobType, generateOpenSshEd25519, publicBlobOfPrivateKey } from './openssh-key.js';

export const HOST_KEY_FILE = 'ssh_host_ed25519_key';

export interface HostKey {
  path: string;
  /** The private key as ssh2's Server takes it (OpenSSH format). */
  privateKey: string;
  /** The public key line, `ssh-ed25519 AAAA…`. */
  publicLine: string;
  /** OpenSSH's fingerprint format: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
  fingerprint: string;
  /** Whether this start generated it. */
  created: boolean;
}

/** OpenSSH's SHA256 fingerprint of a public key blob (as `ssh-keygen -lf` prints it). */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Reads the host key in `stateDir`, generating it first if there is none; throws a clear error if unusable. */
export function loadOrCreateHostKey(stateDir: string): HostKey {
  const path = join(stateDir, HOST_KEY_FILE);
  let created = false;
  let privateKey: string;
  try {
    privateKey = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read the SSH host key ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    privateKey = generateOpenSshEd25519();
    // 'wx': never overwrite a key another process wrote in the meantime.
    writeFileSync(path, privateKey, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new Error(
      `the SSH host key ${path} is accessible by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    );
  const blob = publicBlobOfPrivateKey(
    privateKey,
    `the SSH host key ${path} (remove it to generate a new one)`,
  );
  return {
    path,
    privateKey,
    publicLine: `${blobType(blob, path)} ${blob.toString('base64')}`,
    fingerprint: fingerprintOf(blob),
    created,
  };
}
