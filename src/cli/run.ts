// The `vigil` dispatcher: `vigil <command> [subcommand] ...` runs the command from the registry.
// Returns the exit code; never throws, and never shows a stack trace unless VIGIL_DEBUG is set.

import { ConnectionError, ControlError } from '../control/errors.js';
import { CommandFailure, EXIT, UsageError, type Output } from './command.js';
import { commands, findCommand } from './commands.js';

export async function runCli(args: string[], output: Output): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    output.err(helpText());
    return EXIT.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    output.out(topic ? topic.usage : helpText());
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (!command) {
    output.err(`vigil: unknown command "${name}"\nRun \`vigil help\` for the list of commands.`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`vigil ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof CommandFailure) {
      output.err(`vigil ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof ControlError) {
      // The agent's own words; an agent that stopped answering counts as unreachable.
      output.err(`vigil ${command.name}: ${error.message}`);
      return error instanceof ConnectionError ? EXIT.unreachable : EXIT.failed;
    }
    output.err(`vigil ${command.name}: internal error: ${(error as Error).message ?? String(error)}`);
    if (process.env.VIGIL_DEBUG) output.err(String((error as Error).stack));
    return EXIT.invalid;
  }
}

export function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length), 4);
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'vigil: the command line of the vigil high-availability cluster',
    '',
    'usage: vigil <command> [subcommand] [arguments]',
    '',
    'commands:',
    ...lines,
    `  ${'help'.padEnd(width)}  show this help, or a command's: vigil help <command>`,
    '',
    'exit codes: 0 ok, 1 failed, refused, invalid or degraded, 2 wrong usage or no agent answers',
  ].join('\n');
}
