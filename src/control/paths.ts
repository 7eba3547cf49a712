// Where things live by default, for the agent and the CLI alike. Root gets the system locations;
// anyone else gets per-user ones, so a non-root demo or test never needs /run or /var.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

type Env = Record<string, string | undefined>;

function currentUid(): number {
  return process.getuid?.() ?? -1;
}

/** An XDG base directory variable counts only when it holds an absolute path (as the spec says). */
function xdg(env: Env, name: string): string | undefined {
  const value = env[name];
  return value !== undefined && isAbsolute(value) ? value : undefined;
}

/** The agent's control socket: /run/vigil/vigild.sock as root, else under $XDG_RUNTIME_DIR or /tmp. */
export function defaultSocketPath(env: Env = process.env, uid = currentUid()): string {
  if (uid === 0) return '/run/vigil/vigild.sock';
  const runtime = xdg(env, 'XDG_RUNTIME_DIR');
  return runtime ? join(runtime, 'vigil', 'vigild.sock') : `/tmp/vigil-${uid}/vigild.sock`;
}

/** The agent's persistent state: /var/lib/vigil as root, else $XDG_STATE_HOME/vigil or ~/.local/state/vigil. */
export function defaultStateDir(env: Env = process.env, uid = currentUid(), home = homedir()): string {
  if (uid === 0) return '/var/lib/vigil';
  return join(xdg(env, 'XDG_STATE_HOME') ?? join(home, '.local', 'state'), 'vigil');
}

/** The local demo cluster: $XDG_CACHE_HOME/vigil/demo or ~/.cache/vigil/demo. */
export function demoDir(env: Env = process.env, home = homedir()): string {
  return join(xdg(env, 'XDG_CACHE_HOME') ?? join(home, '.cache'), 'vigil', 'demo');
}
