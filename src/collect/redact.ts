// Takes secrets out of the cluster config before it leaves the agent (vigil logs collect). The
// config has no field meant for secrets, but people put them in webhook URLs, command lines and
// environment values, so the rules look at names and at shapes: a secret-like key hides its whole
// value; URLs lose credentials and queries (webhook channels their path too: the path is the
// token); command lines lose the values of secret-like options; public keys keep only a fingerprint.
import { createHash } from 'node:crypto';

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (DB_PASSWORD, apiKey, token, …). */
const SECRET_KEY =
  /pass(word|wd|phrase)|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|authorization|cookie|^auth$|^pass$|^pwd$/i;

/** A secret-like name in a command line: --password X, --token=X, PASSWORD=X, user:token@… */
const SECRET_NAME =
  '[A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[-_]?key|auth|credential)[A-Za-z0-9_-]*';
const OPTION_VALUE = new RegExp(`(^|\\s)(--?${SECRET_NAME})(=|\\s+)("[^"]*"|'[^']*'|\\S+)`, 'gi');
const ASSIGNMENT = new RegExp(`(^|\\s)(${SECRET_NAME})(=)("[^"]*"|'[^']*'|\\S+)`, 'gi');
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const SSH_PUBLIC_KEY = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+([A-Za-z0-9+/=]+)(\s.*)?$/;

export interface RedactionResult<T> {
  value: T;
  /** One entry per replaced value: where, and what was replaced. */
  redacted: string[];
}

export function redactConfig<T>(config: T): RedactionResult<T> {
  const redacted: string[] = [];
  const value = walk(config, '', undefined, redacted) as T;
  return { value, redacted };
}

function walk(
  value: unknown,
  path: string,
  parent: Record<string, unknown> | undefined,
  out: string[],
): unknown {
  if (Array.isArray(value)) return value.map((item, index) => walk(item, `${path}[${index}]`, parent, out));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      const at = path === '' ? key : `${path}.${key}`;
      result[key] = redactField(key, item, at, record, out);
    }
    return result;
  }
  if (typeof value === 'string') return redactString(value, path, parent, out);
  return value;
}

function redactField(
  key: string,
  value: unknown,
  path: string,
  parent: Record<string, unknown>,
  out: string[],
): unknown {
  if (SECRET_KEY.test(key)) {
    out.push(`${path}: the whole value (secret-like name)`);
    return REDACTED;
  }
  if (/^headers$/i.test(key) && value !== null && typeof value === 'object') {
    out.push(`${path}: every header value (headers may carry tokens)`);
    return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED]));
  }
  if (key === 'key' && typeof value === 'string') {
    const fingerprint = publicKeyFingerprint(value);
    out.push(`${path}: the key itself${fingerprint ? ' (kept: type and fingerprint)' : ''}`);
    return fingerprint ?? REDACTED;
  }
  return walk(value, path, parent, out);
}

function redactString(
  text: string,
  path: string,
  parent: Record<string, unknown> | undefined,
  out: string[],
): string {
  const what: string[] = [];
  const webhook = parent?.type === 'webhook';
  let result = text.replace(URL_PATTERN, (url) => {
    const { text: cleaned, removed } = redactUrl(url, webhook);
    what.push(...removed);
    return cleaned;
  });
  const options = result
    .replace(
      OPTION_VALUE,
      (_m, space: string, name: string, sep: string) => `${space}${name}${sep}${REDACTED}`,
    )
    .replace(
      ASSIGNMENT,
      (_m, space: string, name: string, sep: string) => `${space}${name}${sep}${REDACTED}`,
    );
  if (options !== result) what.push('values of secret-like options');
  result = options;
  if (what.length > 0) out.push(`${path}: ${[...new Set(what)].join(', ')}`);
  return result;
}

function redactUrl(url: string, webhook: boolean): { text: string; removed: string[] } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { text: url, removed: [] };
  }
  const removed: string[] = [];
  let auth = '';
  if (parsed.username || parsed.password) {
    auth = `${REDACTED}@`;
    removed.push('URL credentials');
  }
  let path = parsed.pathname;
  if (webhook && path !== '/' && path !== '') {
    path = `/${REDACTED}`;
    removed.push('webhook URL path (it may be the token)');
  }
  let query = '';
  if (parsed.search) {
    query = `?${REDACTED}`;
    removed.push('URL query');
  }
  if (parsed.hash) removed.push('URL fragment');
  if (removed.length === 0) return { text: url, removed };
  return { text: `${parsed.protocol}//${auth}${parsed.host}${path}${query}`, removed };
}

/** `ssh-ed25519 SHA256:…` for an OpenSSH public key line, else undefined. */
function publicKeyFingerprint(line: string): string | undefined {
  const match = SSH_PUBLIC_KEY.exec(line.trim());
  if (!match) return undefined;
  const blob = Buffer.from(match[2] as string, 'base64');
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `${match[1]} SHA256:${digest} (key ${REDACTED})`;
}
