// The SSH endpoint's host key: ed25519, generated on the first start at STATE_DIR/ssh_host_ed25519_key
// (mode 0600) and reused afterwards, so operators' known_hosts entries stay valid across restarts.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: its runtime values come through the default export.
const { utils } = ssh2;

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
    const pair = generateUsableEd25519();
    // 'wx': never overwrite a key another process wrote in the meantime.
    writeFileSync(path, pair.private, { mode: 0o600, flag: 'wx' });
    privateKey = pair.private;
    created = true;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new Error(
      `the SSH host key ${path} is accessible by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    );
  const parsed = parseOne(privateKey, path);
  if (!parsed.isPrivateKey())
    throw new Error(`${path} holds no private key; remove it to generate a new one`);
  const blob = parsed.getPublicSSH();
  return {
    path,
    privateKey,
    publicLine: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: fingerprintOf(blob),
    created,
  };
}

/**
 * ssh2 occasionally (about 1 in 256) writes an ed25519 key it cannot read back: it drops a leading
 * zero byte. Generate until the key parses; 32 tries fail with odds of 2^-256.
 */
function generateUsableEd25519(): { private: string } {
  for (let attempt = 0; attempt < 32; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error('could not generate a usable ed25519 host key');
}

/** ssh2's parseKey, with its Error result (and multi-key arrays) turned into a thrown error. */
export function parseOne(data: string | Buffer, what: string): ParsedKey {
  const parsed: unknown = utils.parseKey(data);
  if (parsed instanceof Error) throw new Error(`${what}: not a usable SSH key (${parsed.message})`);
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : (parsed as ParsedKey);
  if (!key) throw new Error(`${what}: no SSH key found`);
  return key;
}
