// `vigil report MONITOR ok|error [TEXT]`: an outside tool reports a result for a message monitor on
// the server whose agent it reaches (by default this server's control socket).
import { ControlError } from '../control/errors.js';
import { ErrorCode } from '../control/protocol.js';
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command } from './command.js';

const usage = `usage:
  vigil report MONITOR ok|error [TEXT]   set the result of message monitor MONITOR on this server

The monitor is checked at once; TEXT (one argument: quote it) becomes its detail.

${agentOptionsUsage}

exit codes: 0 recorded, 1 refused (not a message monitor: the reason is printed), 2 no agent answers or wrong usage`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'report a result for a message monitor (for outside tools)',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, agentOptions);
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    const [monitor, verdict, text, extra] = positionals;
    if (monitor === undefined) throw new UsageError('which monitor? give its name');
    if (verdict !== 'ok' && verdict !== 'error')
      throw new UsageError(
        `the result must be ok or error, not ${verdict === undefined ? 'nothing' : `"${verdict}"`}`,
      );
    if (extra !== undefined)
      throw new UsageError(`unexpected argument "${extra}" (quote TEXT as one argument)`);
    return withAgent(values, async ({ client }) => {
      try {
        const params = { monitor, ok: verdict === 'ok', ...(text === undefined ? {} : { text }) };
        const { message } = await client.call('monitor.report', params);
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
  },
};
