// OpenSSH known_hosts files: which key a host is known by, trust on first use, refusal on a change.
// Understands plain host patterns (comma lists, `[host]:port`, `*`/`?` wildcards, `!` negation), hashed
// entries (`|1|salt|hash`, HMAC-SHA1 of the host name), `@revoked` (always refused) and comments.
// `@cert-authority` lines are skipped: vigil does not accept host certificates (see docs/security.md).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface KnownHostEntry {
  /** 1-based line number in the file. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a comma list of patterns, or one hashed name. */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { result: 'match'; file: string; line: number; fingerprint: string }
  | {
      result: 'unknown';
      fingerprint: string;
      /** Key types this host is known by in the file (other than the one offered), if any. */
      knownTypes: string[];
    }
  | { result: 'mismatch'; file: string; line: number; fingerprint: string; expectedFingerprint: string }
  | { result: 'revoked'; file: string; line: number; fingerprint: string };

export function defaultKnownHostsFile(home = homedir()): string {
  return join(home, '.ssh', 'known_hosts');
}

/** OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first SSH string), or undefined. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** How a host is named in known_hosts: `host` on port 22, `[host]:port` on any other. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses a known_hosts file; lines that cannot be understood are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, data] = fields;
    if (hosts === undefined || keyType === undefined || data === undefined) return;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return;
    const key = Buffer.from(data, 'base64');
    entries.push({ line: index + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return entries;
}

/** Whether `name` (as hostKeyName gives it) matches the host field of a known_hosts line. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) return hashedMatches(field, name);
  const lower = name.toLowerCase();
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (!globMatches(glob.toLowerCase(), lower)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `*` any run of characters, `?` any one character, everything else literally. */
export function globMatches(pattern: string, text: string): boolean {
  let regex = '^';
  for (const char of pattern) {
    if (char === '*') regex += '.*';
    else if (char === '?') regex += '.';
    else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${regex}$`, 's').test(text);
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Hashes a host name the way `ssh-keygen -H` does (for tests and for anyone who wants it). */
export function hashHostName(name: string, salt: Buffer): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

/** The verdict on `keyBlob` for host:port given the entries of a known_hosts file. */
export function judgeHostKey(
  entries: KnownHostEntry[],
  file: string,
  host: string,
  port: number,
  keyAlgo: string,
  keyBlob: Buffer,
): HostKeyVerdict {
  const fingerprint = fingerprintOf(keyBlob);
  // A revoked key is refused whichever host it is listed for.
  const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.key.equals(keyBlob));
  if (revoked) return { result: 'revoked', file, line: revoked.line, fingerprint };
  const name = hostKeyName(host, port);
  const forHost = entries.filter(
    (entry) => entry.marker === undefined && hostFieldMatches(entry.hosts, name),
  );
  const same = forHost.find((entry) => entry.key.equals(keyBlob));
  if (same) return { result: 'match', file, line: same.line, fingerprint };
  const changed = forHost.find((entry) => entry.keyType === keyAlgo);
  if (changed)
    return {
      result: 'mismatch',
      file,
      line: changed.line,
      fingerprint,
      expectedFingerprint: fingerprintOf(changed.key),
    };
  return { result: 'unknown', fingerprint, knownTypes: [...new Set(forHost.map((entry) => entry.keyType))] };
}

async function readEntries(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Checks the key a server offered against a known_hosts file; a missing file knows no host. */
export async function verifyHostKey(
  file: string,
  host: string,
  port: number,
  keyAlgo: string,
  keyBlob: Buffer,
): Promise<HostKeyVerdict> {
  return judgeHostKey(await readEntries(file), file, host, port, keyAlgo, keyBlob);
}

/** The key types host:port is known by (to prefer them when negotiating, as OpenSSH does). */
export async function knownKeyTypes(file: string, host: string, port: number): Promise<string[]> {
  const name = hostKeyName(host, port);
  const entries = await readEntries(file);
  return [
    ...new Set(
      entries
        .filter((entry) => entry.marker === undefined && hostFieldMatches(entry.hosts, name))
        .map((entry) => entry.keyType),
    ),
  ];
}

/** Appends a plain (not hashed) line for host:port; creates the file 0600 and its directory 0700. */
export async function addHostKey(
  file: string,
  host: string,
  port: number,
  algo: string,
  blob: Buffer,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = await readFile(file);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await appendFile(file, `${prefix}${hostKeyName(host, port)} ${algo} ${blob.toString('base64')}\n`, {
    mode: 0o600,
  });
}
