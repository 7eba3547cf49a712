// `vigil cluster start|stop|suspend|resume`: the cluster service as a whole.
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command, type Output } from './command.js';
import { sendCommand } from './send-command.js';
import { runSubcommand } from './subcommands.js';

const usage = `usage:
  vigil cluster start     run the cluster service: groups start where their policy and startup allow
  vigil cluster stop      every server stops its groups and takes no new ones
  vigil cluster suspend   groups keep running where they are; no failover until resume
  vigil cluster resume    end a suspension

${agentOptionsUsage}

exit codes: 0 accepted, 1 refused (the reason is printed), 2 no agent answers or wrong usage`;

function clusterSubcommand(op: 'cluster-start' | 'cluster-stop' | 'cluster-suspend' | 'cluster-resume') {
  return async (args: string[], output: Output): Promise<number> => {
    const { values, positionals } = parseCommandArgs(args, agentOptions);
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return withAgent(values, ({ client }) => sendCommand(client, { op }, output));
  };
}

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'start, stop, suspend or resume the cluster service',
  usage,
  run: (args, output) =>
    runSubcommand(args, output, usage, {
      start: clusterSubcommand('cluster-start'),
      stop: clusterSubcommand('cluster-stop'),
      suspend: clusterSubcommand('cluster-suspend'),
      resume: clusterSubcommand('cluster-resume'),
    }),
};
