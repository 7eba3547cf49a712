// How a command finds its agent: --node HOST (over SSH), --socket PATH, --demo (the first demo server
// that answers), $VIGIL_SOCKET, or the default socket path. Failures become exit code 2 with a
// message that says what to do.
import { connectUnix, type ControlClient } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { defaultSocketPath, demoDir } from '../control/paths.js';
import { ErrorCode, PROTOCOL_VERSION, type Methods } from '../control/protocol.js';
import { demoLayout } from '../demo/layout.js';
import { defaultKnownHostsFile } from '../remote/known-hosts.js';
import { DEFAULT_ENDPOINT_PORT, resolveNodeTarget, type NodeTarget } from '../remote/node-target.js';
import { openRemoteControl, type UnknownHost } from '../remote/session.js';
import { CommandFailure, EXIT, UsageError } from './command.js';

/** The options every command that talks to an agent accepts (parseArgs form). */
export const agentOptions = {
  socket: { type: 'string' },
  demo: { type: 'boolean' },
  node: { type: 'string' },
  'accept-new': { type: 'boolean' },
  'known-hosts': { type: 'string' },
  'ssh-port': { type: 'string' },
  identity: { type: 'string', multiple: true },
  via: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const agentOptionsUsage = `  --socket PATH   the agent's control socket (default: $VIGIL_SOCKET, else ${defaultSocketPath()});
                  with --node --via openssh, the socket on the node (default /run/vigil/vigild.sock)
  --demo          the local demo cluster (vigil demo): the first of its servers that answers
  --node [USER@]HOST  a remote server over SSH (HostName, User, IdentityFile, ProxyJump from ~/.ssh/config)
  --accept-new    trust the host key of a server not yet in known_hosts (and record it)
  --known-hosts FILE  the known_hosts file (default ~/.ssh/known_hosts)
  --ssh-port PORT the SSH port (default ${DEFAULT_ENDPOINT_PORT}, the agent's endpoint; 22 with --via openssh)
  --identity FILE a private key to offer (repeatable; after ssh-agent, before ~/.ssh/config's)
  --via openssh   through the server's own sshd to the agent's control socket, not the agent's endpoint`;

export interface AgentTarget {
  socket?: string;
  demo?: boolean;
  node?: string;
  'accept-new'?: boolean;
  'known-hosts'?: string;
  'ssh-port'?: string;
  identity?: string[];
  via?: string;
}

export interface AgentSession {
  client: ControlClient;
  socket: string;
  hello: Methods['hello']['result'];
}

const CONNECT_TIMEOUT_MS = 3000;
const REMOTE_TIMEOUT_MS = 10_000;

export async function connectAgent(target: AgentTarget): Promise<AgentSession> {
  if (target.node !== undefined) return connectRemote(target.node, target);
  const sshOnly = (['accept-new', 'known-hosts', 'ssh-port', 'identity', 'via'] as const).find(
    (option) => target[option] !== undefined,
  );
  if (sshOnly) throw new UsageError(`--${sshOnly} goes with --node HOST`);
  if (target.socket !== undefined && target.demo) throw new UsageError('give --socket or --demo, not both');
  if (target.demo) return connectDemo();
  const socket = target.socket ?? process.env.VIGIL_SOCKET ?? defaultSocketPath();
  try {
    return await open(socket);
  } catch (error) {
    throw unreachable(error);
  }
}

async function connectDemo(): Promise<AgentSession> {
  const layout = demoLayout(demoDir());
  for (const server of layout.servers) {
    try {
      return await open(server.socket);
    } catch (error) {
      if (error instanceof CommandFailure) throw error;
    }
  }
  throw new CommandFailure(
    `the demo cluster is not running: no agent answers in ${layout.dir} (tried ${layout.servers.map((server) => server.name).join(', ')}); start it with: vigil demo`,
    EXIT.unreachable,
  );
}

/** The SSH options of the command line as a NodeTarget (exported for the tests). */
export function nodeTargetOf(node: string, target: AgentTarget): NodeTarget {
  if (target.demo) throw new UsageError('give --node or --demo, not both');
  if (target.via !== undefined && target.via !== 'openssh')
    throw new UsageError(`--via takes "openssh" (the server's own sshd), not "${target.via}"`);
  const method = target.via === 'openssh' ? 'openssh' : 'endpoint';
  if (target.socket !== undefined && method === 'endpoint')
    throw new UsageError('--socket with --node needs --via openssh (the endpoint knows its own socket)');
  const portText = target['ssh-port'];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!/^\d+$/.test(portText ?? '') || port < 1 || port > 65535))
    throw new UsageError(`--ssh-port takes a port number from 1 to 65535, not "${portText}"`);
  const at = node.lastIndexOf('@');
  const user = at > 0 ? node.slice(0, at) : undefined;
  const host = at > 0 ? node.slice(at + 1) : node;
  if (host === '' || /\s/.test(host)) throw new UsageError(`--node takes a host name, not "${node}"`);
  try {
    return resolveNodeTarget(host, {
      method,
      ...(port !== undefined ? { port } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(target.identity ? { identityFiles: target.identity } : {}),
      ...(target.socket !== undefined ? { socketPath: target.socket } : {}),
    });
  } catch (error) {
    throw new CommandFailure(`--node ${node}: ${(error as Error).message}`, EXIT.usage);
  }
}

async function connectRemote(node: string, target: AgentTarget): Promise<AgentSession> {
  const remote = nodeTargetOf(node, target);
  const acceptNew = target['accept-new'] === true;
  const onUnknownHost = (host: UnknownHost) => {
    if (acceptNew)
      process.stderr.write(
        `vigil: trusting the new host key of ${host.name} (${host.keyType} ${host.fingerprint}); recorded in ${host.knownHostsFile}\n`,
      );
    return acceptNew;
  };
  const client = await openRemoteControl(remote, {
    knownHostsFile: target['known-hosts'] ?? defaultKnownHostsFile(),
    onUnknownHost,
    readyTimeoutMs: REMOTE_TIMEOUT_MS,
  });
  return hello(client, `ssh://${remote.user}@${remote.hostname}:${remote.port}`, REMOTE_TIMEOUT_MS);
}

async function open(socket: string): Promise<AgentSession> {
  return hello(await connectUnix(socket, CONNECT_TIMEOUT_MS), socket);
}

async function hello(
  client: ControlClient,
  socket: string,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<AgentSession> {
  try {
    const hello = await client.call('hello', { protocol: PROTOCOL_VERSION, client: 'vigil-cli' }, timeoutMs);
    return { client, socket, hello };
  } catch (error) {
    client.close();
    if (error instanceof ControlError && error.code === ErrorCode.VersionMismatch)
      throw new CommandFailure(error.message, EXIT.unreachable);
    throw error;
  }
}

function unreachable(error: unknown): CommandFailure {
  if (error instanceof CommandFailure) return error;
  return new CommandFailure(error instanceof Error ? error.message : String(error), EXIT.unreachable);
}

/** Runs `work` with a connected agent and always closes the connection. */
export async function withAgent<T>(
  target: AgentTarget,
  work: (session: AgentSession) => Promise<T>,
): Promise<T> {
  const session = await connectAgent(target);
  try {
    return await work(session);
  } finally {
    session.client.close();
  }
}
