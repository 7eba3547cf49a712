// How a command finds its agent: --socket PATH, --demo (the first demo server that answers),
// $VIGIL_SOCKET, or the default socket path. Failures become exit code 2 with a message that says
// what to do.
import { connectUnix, type ControlClient } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { defaultSocketPath, demoDir } from '../control/paths.js';
import { ErrorCode, PROTOCOL_VERSION, type Methods } from '../control/protocol.js';
import { demoLayout } from '../demo/layout.js';
import { CommandFailure, EXIT, UsageError } from './command.js';

/** The options every command that talks to an agent accepts (parseArgs form). */
export const agentOptions = {
  socket: { type: 'string' },
  demo: { type: 'boolean' },
  node: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const agentOptionsUsage = `  --socket PATH   the agent's control socket (default: $VIGIL_SOCKET, else ${defaultSocketPath()})
  --demo          the local demo cluster (vigil demo): the first of its servers that answers
  --node HOST     a remote server over SSH (not available yet)`;

export interface AgentTarget {
  socket?: string;
  demo?: boolean;
  node?: string;
}

export interface AgentSession {
  client: ControlClient;
  socket: string;
  hello: Methods['hello']['result'];
}

const CONNECT_TIMEOUT_MS = 3000;

export async function connectAgent(target: AgentTarget): Promise<AgentSession> {
  if (target.node !== undefined)
    throw new CommandFailure(
      `--node ${target.node}: reaching a server over SSH is not available yet; run vigil on that server, or give --socket PATH`,
      EXIT.usage,
    );
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

async function open(socket: string): Promise<AgentSession> {
  const client = await connectUnix(socket, CONNECT_TIMEOUT_MS);
  try {
    const hello = await client.call(
      'hello',
      { protocol: PROTOCOL_VERSION, client: 'vigil-cli' },
      CONNECT_TIMEOUT_MS,
    );
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
