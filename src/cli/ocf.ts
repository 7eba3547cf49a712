// `vigil ocf list|describe`: which OCF resource agents this server has, and what one of them takes
// (parameters, required or not, defaults, actions), read from the agent's own meta-data.
import { existsSync } from 'node:fs';
import { agentPath, DEFAULT_OCF_ROOT, listAgents, parseAgentName } from '../resources/ocf-agent.js';
import { readAgentMetadata } from '../resources/ocf-describe.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command, type Output } from './command.js';
import { runSubcommand } from './subcommands.js';

const usage = `usage:
  vigil ocf list [--ocf-root DIR]                       providers and agents installed here
  vigil ocf describe PROVIDER:AGENT [--ocf-root DIR]    the agent's parameters and actions

  --ocf-root DIR  OCF_ROOT (default ${DEFAULT_OCF_ROOT})`;

const options = { help: { type: 'boolean', short: 'h' }, 'ocf-root': { type: 'string' } } as const;

async function list(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, options);
  if (values.help) return (output.out(usage), EXIT.ok);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const root = values['ocf-root'] ?? DEFAULT_OCF_ROOT;
  const providers = listAgents(root);
  if (providers.length === 0)
    throw new CommandFailure(
      `no OCF agents under ${root}/resource.d; install them (Debian: apt-get install resource-agents) or give --ocf-root`,
      EXIT.failed,
    );
  for (const { provider, agents } of providers) output.out(`${provider}: ${agents.join(' ')}`);
  return EXIT.ok;
}

async function describe(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, options);
  if (values.help) return (output.out(usage), EXIT.ok);
  const [text, extra] = positionals;
  if (text === undefined) throw new UsageError('which agent? give PROVIDER:AGENT, e.g. heartbeat:Dummy');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  let name;
  try {
    name = parseAgentName(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const root = values['ocf-root'] ?? DEFAULT_OCF_ROOT;
  if (!existsSync(agentPath(name, root)))
    throw new CommandFailure(
      `no OCF agent ${name.provider}:${name.agent} at ${agentPath(name, root)}; see vigil ocf list`,
      EXIT.failed,
    );
  const metadata = await readAgentMetadata(name, root);
  output.out(`ocf:${name.provider}:${name.agent}${metadata.shortdesc ? ` - ${metadata.shortdesc}` : ''}`);
  output.out('parameters:');
  if (metadata.parameters.length === 0) output.out('  (none)');
  for (const parameter of metadata.parameters) {
    const facts = [
      parameter.required ? 'required' : 'optional',
      parameter.type,
      parameter.default !== undefined && parameter.default !== ''
        ? `default ${parameter.default}`
        : undefined,
    ].filter((fact) => fact !== undefined);
    output.out(
      `  ${parameter.name} (${facts.join(', ')})${parameter.shortdesc ? `: ${parameter.shortdesc}` : ''}`,
    );
  }
  output.out('actions:');
  for (const action of metadata.actions)
    output.out(
      `  ${action.name}${action.timeout ? ` timeout ${action.timeout}` : ''}${action.interval ? ` interval ${action.interval}` : ''}`,
    );
  return EXIT.ok;
}

export const ocfCommand: Command = {
  name: 'ocf',
  summary: 'list the OCF resource agents installed here, or describe one',
  usage,
  run: (args, output) => runSubcommand(args, output, usage, { list, describe }),
};
