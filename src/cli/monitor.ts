// `vigil monitor suspend|resume|reset MONITOR`: control monitor resources.
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command, type Output } from './command.js';
import { sendCommand } from './send-command.js';
import { runSubcommand } from './subcommands.js';

const usage = `usage:
  vigil monitor suspend MONITOR   stop checking (and recovering) until resumed, on every server
  vigil monitor resume MONITOR    check again
  vigil monitor reset MONITOR     clear the error and the recovery ladder's counters

${agentOptionsUsage}

exit codes: 0 accepted, 1 refused (the reason is printed), 2 no agent answers or wrong usage`;

function monitorSubcommand(op: 'monitor-suspend' | 'monitor-resume' | 'monitor-reset') {
  return async (args: string[], output: Output): Promise<number> => {
    const { values, positionals } = parseCommandArgs(args, agentOptions);
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    const [monitor, extra] = positionals;
    if (monitor === undefined) throw new UsageError('which monitor? give its name');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    return withAgent(values, ({ client }) => sendCommand(client, { op, monitor }, output));
  };
}

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'suspend, resume or reset a monitor',
  usage,
  run: (args, output) =>
    runSubcommand(args, output, usage, {
      suspend: monitorSubcommand('monitor-suspend'),
      resume: monitorSubcommand('monitor-resume'),
      reset: monitorSubcommand('monitor-reset'),
    }),
};
