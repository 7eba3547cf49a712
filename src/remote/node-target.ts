// A remote node as the CLI and the console name it (`--node HOST`), resolved through ~/.ssh/config into
// everything openRemoteControl needs: where to connect, as whom, with which keys, and how to reach the
// agent once there (its SSH endpoint, or a site's sshd and the agent's control socket).
import { resolveSshTarget, type SshTarget } from './ssh-config.js';

/** The port of the agent's own SSH endpoint. */
export const DEFAULT_ENDPOINT_PORT = 29022;
/** The control socket of an agent running as root (what a site's sshd forwards to). */
export const DEFAULT_REMOTE_SOCKET = '/run/vigil/vigild.sock';

export type RemoteMethod = 'endpoint' | 'openssh';

export interface NodeTarget extends SshTarget {
  /** `endpoint`: the agent's SSH endpoint (subsystem vigil-control); `openssh`: the site's sshd. */
  method: RemoteMethod;
  /** The agent's control socket on the node (method `openssh` only). */
  socketPath: string;
}

export interface NodeTargetOptions {
  method?: RemoteMethod;
  /** --ssh-port; default 29022 for the endpoint, the config's Port or 22 for openssh. */
  port?: number;
  user?: string;
  identityFiles?: string[];
  socketPath?: string;
  /** Default ~/.ssh/config. */
  sshConfigFile?: string;
  home?: string;
  localUser?: string;
}

/**
 * Resolves `--node HOST`. HostName, User, IdentityFile and ProxyJump come from the ssh config; its
 * `Port` describes the site's sshd, so it counts only with `--via openssh`.
 */
export function resolveNodeTarget(node: string, options: NodeTargetOptions = {}): NodeTarget {
  const method = options.method ?? 'endpoint';
  const ssh = resolveSshTarget(node, {
    defaultPort: method === 'endpoint' ? DEFAULT_ENDPOINT_PORT : 22,
    useConfigPort: method === 'openssh',
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.identityFiles ? { identityFiles: options.identityFiles } : {}),
    ...(options.sshConfigFile !== undefined ? { configFile: options.sshConfigFile } : {}),
    ...(options.home !== undefined ? { home: options.home } : {}),
    ...(options.localUser !== undefined ? { localUser: options.localUser } : {}),
  });
  return { ...ssh, method, socketPath: options.socketPath ?? DEFAULT_REMOTE_SOCKET };
}
