// `vigil monitor suspend|resume|reset MONITOR`: control monitor resources.
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command, type Output } from './command.js';
import { sendCommand } from './send-command.js';
import { ControlError } from '../control/errors.js';
import { ErrorCode } from '../control/protocol.js';
import { runSubcommand } from './subcommands.js';

const usage = `usage:
  vigil monitor suspend MONITOR   stop checking (and recovering) until resumed, on every server
  vigil monitor resume MONITOR    check again
  vigil monitor reset MONITOR     clear the error and the recovery ladder's counters
  vigil monitor dummy-failure MONITOR on|off [--server S]
                                  on: the monitor reports "dummy failure (drill)" on the server where
                                  its group is active (or S) until switched off; off: on every server

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

async function dummyFailure(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...agentOptions, server: { type: 'string' } });
  if (values.help) {
    output.out(usage);
    return EXIT.ok;
  }
  const [monitor, state, extra] = positionals;
  if (monitor === undefined) throw new UsageError('which monitor? give its name');
  if (state !== 'on' && state !== 'off') throw new UsageError('on or off?');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return withAgent(values, async ({ client }) => {
    try {
      const { message } = await client.call('monitor.dummy-failure', {
        monitor,
        on: state === 'on',
        ...(values.server !== undefined ? { server: values.server } : {}),
      });
      output.out(message);
      return EXIT.ok;
    } catch (error) {
      if (error instanceof ControlError && error.code === ErrorCode.Refused) {
        output.err(`refused: ${error.message}`);
        return EXIT.failed;
      }
      throw error;
    }
  });
}

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'suspend, resume or reset a monitor, or switch its dummy failure',
  usage,
  run: (args, output) =>
    runSubcommand(args, output, usage, {
      suspend: monitorSubcommand('monitor-suspend'),
      resume: monitorSubcommand('monitor-resume'),
      reset: monitorSubcommand('monitor-reset'),
      'dummy-failure': dummyFailure,
    }),
};
