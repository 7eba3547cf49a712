// `vigil config <subcommand>`: work with cluster configuration files.
import { UsageError, type Command } from './command.js';
import { configCheck } from './config-check.js';
import { configSchemaCommand } from './config-schema.js';

const subcommands: Record<string, Command['run']> = {
  check: configCheck,
  schema: configSchemaCommand,
};

const usage = `usage:
  vigil config check FILE...   check cluster config files; print every problem, then a summary
  vigil config schema          print the JSON Schema of the cluster config

exit codes: 0 valid (warnings allowed), 1 invalid, 2 wrong usage or unreadable file`;

export const configCommand: Command = {
  name: 'config',
  summary: 'check a cluster config file, or print its JSON Schema',
  usage,
  async run(args, output) {
    const [name, ...rest] = args;
    if (name === undefined) throw new UsageError('missing subcommand');
    if (name === '--help' || name === '-h' || name === 'help') {
      output.out(usage);
      return 0;
    }
    const subcommand = subcommands[name];
    if (!subcommand) throw new UsageError(`unknown subcommand "${name}"`);
    return subcommand(rest, output);
  },
};
