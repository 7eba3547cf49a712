// `vigil logs tail`: the last lines of an agent's log, readable or as JSON, optionally following;
// `vigil logs collect` (logs-collect.ts): every server's logs in one .tar.gz.
import type { ControlClient } from '../control/client.js';
import type { LogLine } from '../control/protocol.js';
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { CommandFailure, EXIT, UsageError, type Command, type Output } from './command.js';
import { collect, collectUsage } from './logs-collect.js';
import { runSubcommand } from './subcommands.js';
import { localTime } from './time-format.js';

const DEFAULT_LINES = 50;
const MAX_LINES = 10_000;

const tailUsage = `usage: vigil logs tail [--server NAME] [--lines N] [--follow] [--json] [--socket PATH | --demo | --node HOST]

  --server NAME   whose log: a server of the cluster (default: the server the agent runs on)
  --lines N       how many of the last lines (default ${DEFAULT_LINES}, at most ${MAX_LINES})
  --follow        keep printing new lines until interrupted (Ctrl-C)
  --json          one JSON object per line, as the agent logs them
${agentOptionsUsage}

exit codes: 0 done, 1 the agent could not get that server's log, 2 no agent answers or wrong usage`;

const usage = `${tailUsage}

${collectUsage}`;

// --server names the server whose log to read; --node, as everywhere, the host to reach over SSH.
const logsOptions = {
  ...agentOptions,
  server: { type: 'string' },
  lines: { type: 'string' },
  follow: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function tail(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, logsOptions);
  if (values.help) {
    output.out(tailUsage);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const lines = values.lines === undefined ? DEFAULT_LINES : Number(values.lines);
  if (!/^\d+$/.test(values.lines ?? '0') || lines > MAX_LINES)
    throw new UsageError(`--lines takes a whole number from 0 to ${MAX_LINES}, not "${values.lines}"`);
  const print = (line: LogLine) => output.out(values.json ? JSON.stringify(line) : readableLogLine(line));
  return withAgent(values, async ({ client }) => {
    const params = {
      lines,
      follow: values.follow === true,
      ...(values.server ? { node: values.server } : {}),
    };
    if (!values.follow) {
      for (const line of await client.call('logs.tail', params)) print(line);
      return EXIT.ok;
    }
    return follow(client, params, print);
  });
}

/** Prints lines as they come until SIGINT/SIGTERM (exit 0) or until the agent goes away (exit 2). */
async function follow(
  client: ControlClient,
  params: { lines: number; follow: boolean; node?: string },
  print: (line: LogLine) => void,
): Promise<number> {
  const stopLines = client.on('log', print);
  let stopSignals = () => undefined as void;
  const ended = new Promise<number>((resolve, reject) => {
    const onSignal = () => resolve(EXIT.ok);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    stopSignals = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    client.on('close', (reason) =>
      reject(
        new CommandFailure(`stopped following: ${reason?.message ?? 'connection closed'}`, EXIT.unreachable),
      ),
    );
  });
  // The connection may drop before the wait starts; the rejection is still seen by the await below.
  ended.catch(() => undefined);
  try {
    for (const line of await client.call('logs.tail', params)) print(line);
    return await ended;
  } finally {
    stopLines();
    stopSignals();
  }
}

export function readableLogLine(line: LogLine): string {
  const fields = Object.entries(line.fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${localTime(line.at, true)} ${line.server} ${line.level.toUpperCase().padEnd(5)} ${line.event}${fields ? ` ${fields}` : ''}`;
}

export const logsCommand: Command = {
  name: 'logs',
  summary: "show an agent's log, or collect all: vigil logs tail|collect",
  usage,
  run: (args, output) => runSubcommand(args, output, usage, { tail, collect }),
};
