// The registry of `vigil` commands. A new command is a file exporting a Command and a line here.
import type { Command } from './command.js';
import { alertsCommand } from './alerts.js';
import { bridgeCommand } from './bridge.js';
import { clusterCommand } from './cluster.js';
import { configCommand } from './config.js';
import { consoleCommand } from './console.js';
import { demoCommand } from './demo.js';
import { diskCommand } from './disk.js';
import { drillCommand } from './drill.js';
import { groupCommand } from './group.js';
import { keyCommand } from './key.js';
import { logsCommand } from './logs.js';
import { monitorCommand } from './monitor.js';
import { reportCommand } from './report.js';
import { resourceCommand } from './resource.js';
import { ocfCommand } from './ocf.js';
import { statusCommand } from './status.js';
import { witnessCommand } from './witness.js';

export const commands: Command[] = [
  statusCommand,
  consoleCommand,
  groupCommand,
  monitorCommand,
  resourceCommand,
  ocfCommand,
  clusterCommand,
  alertsCommand,
  logsCommand,
  demoCommand,
  configCommand,
  keyCommand,
  diskCommand,
  bridgeCommand,
  witnessCommand,
  reportCommand,
  drillCommand,
];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}
