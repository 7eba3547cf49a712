// `vigil drill run|list|stop`: failover drills. run injects the fault, prints the timeline as the
// agents log it, and writes the report (Markdown and JSON).
import { mkdirSync } from 'node:fs';
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { CommandFailure, EXIT, UsageError, type Command, type Output } from './command.js';
import { runSubcommand } from './subcommands.js';
import { ControlError } from '../control/errors.js';
import { ErrorCode } from '../control/protocol.js';
import type { ControlClient } from '../control/client.js';
import { stepLine, writeReport } from '../drills/report.js';
import {
  DEFAULT_DRILL_SECONDS,
  DRILLS,
  DRILL_KINDS,
  isDrillKind,
  type DrillRequest,
  type DrillState,
} from '../drills/types.js';

const usage = `usage:
  vigil drill list                 the drills and what they do
  vigil drill run NAME --target X [--duration S] [--url URL] [--signal SIGKILL|SIGSTOP] [--out DIR]
                                   run a drill: inject the fault, print the timeline, write the report
  vigil drill stop ID              take the fault of a running drill back now

  --target X     dummy-failure: a monitor; heartbeat-loss: a server; process-stop: an exec resource
                 (GROUP/RESOURCE)
  --duration S   seconds until the fault is taken back by itself (default ${DEFAULT_DRILL_SECONDS})
  --url URL      service check: the URL answers 2xx (default: the group's monitors ok on the new server)
  --out DIR      where the report goes (default: the current directory)

${agentOptionsUsage}

exit codes: 0 the service was green again, 1 refused or not green, 2 no agent answers or wrong usage`;

const POLL_MS = 300;
/** The client waits this much past the drill's own time and grace before it gives up. */
const CLIENT_SLACK_MS = 90_000;

async function list(args: string[], output: Output): Promise<number> {
  // Agent options are accepted (and unused): the list is the same for every cluster.
  const { values, positionals } = parseCommandArgs(args, agentOptions);
  if (values.help) {
    output.out(usage);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  for (const kind of DRILL_KINDS)
    output.out(`${kind.padEnd(16)} target: ${DRILLS[kind].target.padEnd(9)} ${DRILLS[kind].effect}`);
  return EXIT.ok;
}

async function run(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...agentOptions,
    target: { type: 'string' },
    duration: { type: 'string' },
    url: { type: 'string' },
    signal: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help) {
    output.out(usage);
    return EXIT.ok;
  }
  const [kind, extra] = positionals;
  if (kind === undefined || !isDrillKind(kind))
    throw new UsageError(`which drill? one of ${DRILL_KINDS.join(', ')}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (values.target === undefined) throw new UsageError(`--target: give the ${DRILLS[kind].target} to fail`);
  const duration = values.duration === undefined ? DEFAULT_DRILL_SECONDS : Number(values.duration);
  if (!Number.isInteger(duration) || duration < 1)
    throw new UsageError(`--duration: whole seconds from 1, not ${values.duration}`);
  if (values.signal !== undefined && values.signal !== 'SIGKILL' && values.signal !== 'SIGSTOP')
    throw new UsageError(`--signal: SIGKILL or SIGSTOP, not ${values.signal}`);
  const request: DrillRequest = {
    kind,
    target: values.target,
    durationSeconds: duration,
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(values.signal !== undefined ? { signal: values.signal as 'SIGKILL' | 'SIGSTOP' } : {}),
  };
  const outDir = values.out ?? process.cwd();
  mkdirSync(outDir, { recursive: true });
  return withAgent(values, async ({ client }) => {
    let drill: DrillState;
    try {
      drill = await client.call('drill.start', request);
    } catch (error) {
      if (error instanceof ControlError && error.code === ErrorCode.Refused) {
        output.err(`refused: ${error.message}`);
        return EXIT.failed;
      }
      throw error;
    }
    output.out(
      `drill ${drill.id}: ${kind} on ${drill.target} (fault on ${drill.faultServer} for ${duration}s)`,
    );
    drill = await follow(client, drill, output);
    const files = writeReport(drill, outDir);
    output.out(`${drill.state}: ${drill.message}`);
    output.out(`report: ${files.markdown} ${files.json}`);
    return drill.state === 'done' ? EXIT.ok : EXIT.failed;
  });
}

/** Prints each new step until the drill ends. */
export async function follow(client: ControlClient, start: DrillState, output: Output): Promise<DrillState> {
  const end = Date.now() + start.durationSeconds * 1000 + CLIENT_SLACK_MS;
  const printed = new Set<string>();
  let drill = start;
  for (;;) {
    for (const step of drill.timeline) {
      const key = `${step.step}@${step.at}`;
      if (printed.has(key)) continue;
      printed.add(key);
      output.out(stepLine(step));
    }
    if (drill.state !== 'running') return drill;
    if (Date.now() > end)
      throw new CommandFailure(
        `drill ${drill.id} still running after ${Math.round((end - Date.now()) / 1000)}s; see vigil logs`,
        EXIT.failed,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    drill = await client.call('drill.get', { id: drill.id });
  }
}

async function stop(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, agentOptions);
  const [id] = positionals;
  if (id === undefined) throw new UsageError('which drill? give its id');
  return withAgent(values, async ({ client }) => {
    const drill = await client.call('drill.stop', { id });
    output.out(`drill ${drill.id}: fault taken back on ${drill.faultServer}`);
    return EXIT.ok;
  });
}

export const drillCommand: Command = {
  name: 'drill',
  summary: 'run failover drills and write their timeline report',
  usage,
  run: (args, output) => runSubcommand(args, output, usage, { list, run, stop }),
};
