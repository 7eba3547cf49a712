// The registry of `vigil` commands. A new command is a file exporting a Command and a line here.
import type { Command } from './command.js';
import { configCommand } from './config.js';

export const commands: Command[] = [configCommand];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}
