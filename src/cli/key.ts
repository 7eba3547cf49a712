// `vigil key generate FILE`: a new cluster key (the secret that authenticates traffic between
// servers). Copy the same file to every server, mode 0600, at the path cluster.keyFile names.
import { ClusterKeyError, writeClusterKey } from '../agent/cluster-key.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';

const usage = `usage: vigil key generate FILE

Writes a new random cluster key to FILE (mode 0600; refuses to overwrite an existing file).
Copy it to every server of the cluster at the path given by cluster.keyFile.`;

export const keyCommand: Command = {
  name: 'key',
  summary: 'generate a cluster key file',
  usage,
  async run(args, output) {
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      output.out(usage);
      return EXIT.ok;
    }
    if (sub !== 'generate')
      throw new UsageError(sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`);
    const { positionals } = parseCommandArgs(rest, {});
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
    try {
      writeClusterKey(positionals[0]);
    } catch (error) {
      if (error instanceof ClusterKeyError) throw new CommandFailure(error.message, EXIT.failed);
      throw new CommandFailure(`cannot write ${positionals[0]}: ${(error as Error).message}`, EXIT.failed);
    }
    output.out(`wrote a new cluster key to ${positionals[0]} (mode 0600); copy it to every server`);
    return EXIT.ok;
  },
};
