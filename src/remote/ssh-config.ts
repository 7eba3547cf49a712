// Enough of OpenSSH's client config (~/.ssh/config) to reach a node the way `ssh` would: Host blocks
// (first value wins per keyword), HostName, Port, User, IdentityFile (several; `~` and %d %u %h %r %%),
// ProxyJump (one hop) and Include. `Match` blocks are skipped (never match).
import { readFileSync, readdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { globMatches } from './known-hosts.js';

export interface SshConfigBlock {
  /** The patterns of the Host line; undefined for lines before the first Host (they apply to all). */
  patterns?: string[];
  /** `Match` blocks are kept only so that their lines are not mistaken for the previous block's. */
  match?: boolean;
  options: [keyword: string, values: string[]][];
}

export function defaultSshConfigFile(home = homedir()): string {
  return join(home, '.ssh', 'config');
}

/** Splits a config line into keyword and arguments (`Key value`, `Key=value`, quoted values). */
function splitLine(line: string): { keyword: string; values: string[] } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const head = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(trimmed);
  if (!head) return undefined;
  const values: string[] = [];
  const rest = head[2] as string;
  const word = /"([^"]*)"|(\S+)/g;
  for (let match = word.exec(rest); match; match = word.exec(rest)) {
    const value = match[1] ?? (match[2] as string);
    if (value.startsWith('#') && match[1] === undefined) break;
    values.push(value);
  }
  return { keyword: (head[1] as string).toLowerCase(), values };
}

/** Parses config text; `Include` lines are expanded through `include(path)` (relative to ~/.ssh). */
export function parseSshConfig(
  text: string,
  include: (pattern: string) => string[] = () => [],
  depth = 0,
): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ options: [] }];
  for (const raw of text.split('\n')) {
    const parsed = splitLine(raw);
    if (!parsed) continue;
    const current = blocks[blocks.length - 1] as SshConfigBlock;
    if (parsed.keyword === 'host') {
      blocks.push({ patterns: parsed.values, options: [] });
    } else if (parsed.keyword === 'match') {
      blocks.push({ match: true, options: [] });
    } else if (parsed.keyword === 'include') {
      if (depth >= 16) continue;
      // Included files are read in the context of the current block, as OpenSSH does.
      for (const pattern of parsed.values)
        for (const content of include(pattern)) {
          const included = parseSshConfig(content, include, depth + 1);
          current.options.push(...(included[0]?.options ?? []));
          blocks.push(...included.slice(1));
        }
    } else {
      current.options.push([parsed.keyword, parsed.values]);
    }
  }
  return blocks;
}

/** Whether a Host line's patterns select `host`: some pattern matches and no negated one does. */
export function hostPatternsMatch(patterns: string[], host: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!globMatches((negated ? pattern.slice(1) : pattern).toLowerCase(), host.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** Every keyword's values for `host`: first obtained value wins, except IdentityFile, which collects. */
export function optionsFor(blocks: SshConfigBlock[], host: string): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (const block of blocks) {
    if (block.match) continue;
    if (block.patterns && !hostPatternsMatch(block.patterns, host)) continue;
    for (const [keyword, values] of block.options) {
      if (keyword === 'identityfile') options.set(keyword, [...(options.get(keyword) ?? []), ...values]);
      else if (!options.has(keyword)) options.set(keyword, values);
    }
  }
  return options;
}

/** Reads a config file with its Includes; a missing file is an empty config. */
export function loadSshConfig(file: string, home = homedir()): SshConfigBlock[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const include = (pattern: string): string[] => {
    const expanded = expandTilde(pattern, home);
    const path = isAbsolute(expanded) ? expanded : join(home, '.ssh', expanded);
    if (!/[*?]/.test(basename(path))) return [read(path)].filter((text) => text !== undefined);
    let names: string[];
    try {
      names = readdirSync(dirname(path)).sort();
    } catch {
      return [];
    }
    return names
      .filter((name) => globMatches(basename(path), name))
      .map((name) => read(join(dirname(path), name)))
      .filter((text) => text !== undefined);
  };
  const text = read(file);
  return text === undefined ? [] : parseSshConfig(text, include);
}

export function expandTilde(path: string, home = homedir()): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export interface JumpHost {
  host: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
}

export interface SshTarget {
  /** The name the operator gave (`--node`). */
  alias: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  proxyJump?: JumpHost;
}

export interface ResolveOptions {
  /** Port when neither the operator nor (for an sshd) the config gives one. */
  defaultPort: number;
  /** Whether the config's `Port` applies: it describes the site's sshd, not vigil's endpoint. */
  useConfigPort: boolean;
  port?: number;
  user?: string;
  /** Identity files given by the operator come first. */
  identityFiles?: string[];
  configFile?: string;
  home?: string;
  localUser?: string;
}

/** Where `ssh HOST` would go, per the config; identity files default to ~/.ssh/id_{ed25519,ecdsa,rsa}. */
export function resolveSshTarget(host: string, options: ResolveOptions): SshTarget {
  const home = options.home ?? homedir();
  const blocks = loadSshConfig(options.configFile ?? defaultSshConfigFile(home), home);
  return resolveWith(blocks, host, options, home, true);
}

function resolveWith(
  blocks: SshConfigBlock[],
  host: string,
  options: ResolveOptions,
  home: string,
  allowJump: boolean,
): SshTarget {
  const config = optionsFor(blocks, host);
  const localUser = options.localUser ?? userInfo().username;
  const first = (keyword: string) => config.get(keyword)?.[0];
  const hostname = first('hostname')?.replace(/%h/g, host) ?? host;
  const user = options.user ?? first('user') ?? localUser;
  const configPort = options.useConfigPort ? first('port') : undefined;
  const port = options.port ?? (configPort !== undefined ? parsePort(configPort, host) : options.defaultPort);
  const tokens = (path: string) =>
    expandTilde(path, home).replace(/%[%dhur]/g, (token) =>
      token === '%%'
        ? '%'
        : token === '%d'
          ? home
          : token === '%h'
            ? hostname
            : token === '%u'
              ? localUser
              : user,
    );
  const configured = (config.get('identityfile') ?? []).map(tokens);
  const given = (options.identityFiles ?? []).map((path) => expandTilde(path, home));
  const identityFiles =
    given.length + configured.length > 0
      ? [...given, ...configured]
      : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name));
  const target: SshTarget = { alias: host, hostname, port, user, identityFiles };
  const jump = first('proxyjump');
  if (allowJump && jump !== undefined && jump.toLowerCase() !== 'none')
    target.proxyJump = resolveJump(blocks, jump, options, home);
  return target;
}

/** `[user@]host[:port]` (the first of a comma list; vigil takes one hop). */
function resolveJump(
  blocks: SshConfigBlock[],
  spec: string,
  options: ResolveOptions,
  home: string,
): JumpHost {
  const first = spec.split(',')[0] as string;
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(first);
  if (!match) throw new Error(`ProxyJump "${spec}" is not [user@]host[:port]`);
  const host = (match[2] as string).replace(/^\[|\]$/g, '');
  const resolved = resolveWith(
    blocks,
    host,
    {
      defaultPort: 22,
      useConfigPort: true,
      ...(match[3] ? { port: parsePort(match[3], host) } : {}),
      ...(match[1] ? { user: match[1] } : {}),
      ...(options.localUser ? { localUser: options.localUser } : {}),
    },
    home,
    false,
  );
  return {
    host,
    hostname: resolved.hostname,
    port: resolved.port,
    user: resolved.user,
    identityFiles: resolved.identityFiles,
  };
}

function parsePort(text: string, host: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new Error(`port "${text}" for ${host} is not a port number (1 to 65535)`);
  return port;
}
