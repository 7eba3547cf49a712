// `vigil bridge`: joins stdin/stdout to the local agent's control socket, for sites whose sshd allows
// running a command but not stream forwarding (`vigil status --node HOST --via openssh` falls back to
// running it). The bytes pass unchanged; the agent sees an ordinary local caller.
import { createConnection } from 'node:net';
import { defaultSocketPath } from '../control/paths.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';

const usage = `usage: vigil bridge [--socket PATH]

Copies stdin to the agent's control socket and its answers to stdout, until either side closes. Meant
to be run by sshd for a remote vigil (--node HOST --via openssh), not by hand.

  --socket PATH   the agent's control socket (default: $VIGIL_SOCKET, else ${defaultSocketPath()})

exit codes: 0 the connection ended, 2 no agent answers or wrong usage`;

export const bridgeCommand: Command = {
  name: 'bridge',
  summary: "join stdin/stdout to the agent's control socket (for SSH)",
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {
      socket: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const path = values.socket ?? process.env.VIGIL_SOCKET ?? defaultSocketPath();
    return bridge(path, process.stdin, process.stdout);
  },
};

export function bridge(
  path: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      input.pipe(socket);
      socket.pipe(output);
    });
    // stdin closing (the SSH channel ended) half-closes the socket; the agent then closes its side.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected)
        reject(
          new CommandFailure(
            `no vigild answers on ${path}: ${error.code ?? error.message}`,
            EXIT.unreachable,
          ),
        );
      else resolve(EXIT.ok);
    });
    socket.on('close', () => {
      input.unpipe(socket);
      if ('pause' in input) input.pause();
      resolve(EXIT.ok);
    });
  });
}
