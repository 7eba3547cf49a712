// `vigil status`: the cluster as one agent sees it. Exit 0 healthy, 1 degraded, 2 no agent answers.
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command } from './command.js';
import { formatStatus } from './status-format.js';
import { healthProblems } from './status-health.js';
import { styleFor } from './style.js';

const usage = `usage: vigil status [--json] [--socket PATH | --demo]

Shows the cluster as the agent sees it: service, quorum and the last partition decision; servers
with the state and round-trip time of each heartbeat link; groups with their server, policy and
resources; monitors with their recovery ladder; unacknowledged alerts. Rows marked "!" need attention.

  --json          print the status snapshot as JSON
${agentOptionsUsage}

exit codes: 0 healthy (quorate, every server up, every group that should run online, no monitor in
error), 1 degraded, 2 no agent answers or wrong usage`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the cluster: servers, links, groups, resources, monitors, alerts',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, { ...agentOptions, json: { type: 'boolean' } });
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const status = await withAgent(values, ({ client }) => client.call('status.get', {}));
    output.out(values.json ? JSON.stringify(status, null, 2) : formatStatus(status, styleFor()));
    return healthProblems(status).length === 0 ? EXIT.ok : EXIT.failed;
  },
};
