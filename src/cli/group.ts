// `vigil group start|stop|move`: operate failover groups.
import { parseCommandArgs, takeOptionalNumber } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command, type Output } from './command.js';
import { sendGroupCommand } from './send-command.js';
import { runSubcommand } from './subcommands.js';
import type { GroupCommand } from './wait-outcome.js';

const DEFAULT_WAIT_SECONDS = 60;

const usage = `usage:
  vigil group start GROUP [--on SERVER] [--wait [SECONDS]]   start a group (on SERVER, else by its policy)
  vigil group stop GROUP [--wait [SECONDS]]                  stop a group; it stays stopped until started
  vigil group move GROUP --to SERVER [--wait [SECONDS]]      move a group: stop here, then start there

  --wait [SECONDS]  wait until the outcome shows in the status (default ${DEFAULT_WAIT_SECONDS}s), and report it
${agentOptionsUsage}

exit codes: 0 accepted (with --wait: done), 1 refused (the reason is printed; with --wait: failed or
timed out), 2 no agent answers or wrong usage`;

const groupOptions = { ...agentOptions, on: { type: 'string' }, to: { type: 'string' } } as const;

function parse(args: string[], allowed: ('on' | 'to')[]) {
  const { rest, value: wait } = takeOptionalNumber(args, '--wait', DEFAULT_WAIT_SECONDS);
  const { values, positionals } = parseCommandArgs(rest, groupOptions);
  for (const option of ['on', 'to'] as const)
    if (values[option] !== undefined && !allowed.includes(option))
      throw new UsageError(`--${option} does not apply here`);
  if (values.help) return { help: true as const };
  const [group, extra] = positionals;
  if (group === undefined) throw new UsageError('which group? give its name');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return { help: false as const, values, group, wait };
}

function groupSubcommand(
  allowed: ('on' | 'to')[],
  build: (group: string, on?: string, to?: string) => GroupCommand,
) {
  return async (args: string[], output: Output): Promise<number> => {
    const parsed = parse(args, allowed);
    if (parsed.help) {
      output.out(usage);
      return EXIT.ok;
    }
    const command = build(parsed.group, parsed.values.on, parsed.values.to);
    return withAgent(parsed.values, ({ client }) => sendGroupCommand(client, command, parsed.wait, output));
  };
}

const subcommands = {
  start: groupSubcommand(['on'], (group, on) =>
    on === undefined ? { op: 'group-start', group } : { op: 'group-start', group, server: on },
  ),
  stop: groupSubcommand([], (group) => ({ op: 'group-stop', group })),
  move: groupSubcommand(['to'], (group, _on, to) => {
    if (to === undefined) throw new UsageError('move needs --to SERVER');
    return { op: 'group-move', group, to };
  }),
};

export const groupCommand: Command = {
  name: 'group',
  summary: 'start, stop or move a failover group',
  usage,
  run: (args, output) => runSubcommand(args, output, usage, subcommands),
};
