// Dispatch of `vigil <command> <subcommand> ...` for commands made of subcommands.
import { EXIT, UsageError, type Output } from './command.js';

export function runSubcommand(
  args: string[],
  output: Output,
  usage: string,
  subcommands: Record<string, (args: string[], output: Output) => Promise<number>>,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) throw new UsageError(`missing subcommand: ${Object.keys(subcommands).join(', ')}`);
  if (name === '--help' || name === '-h' || name === 'help') {
    output.out(usage);
    return Promise.resolve(EXIT.ok);
  }
  const subcommand = subcommands[name];
  if (!subcommand)
    throw new UsageError(`unknown subcommand "${name}"; try ${Object.keys(subcommands).join(', ')}`);
  return subcommand(rest, output);
}
