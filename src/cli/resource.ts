// `vigil resource start|stop GROUP/RESOURCE`: operate one resource of a running group. The agent
// forwards the command to the server that holds the group; --wait follows the resource's state.
import type { ControlClient } from '../control/client.js';
import type { StatusSnapshot } from '../control/protocol.js';
import { parseCommandArgs, takeOptionalNumber } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { CommandFailure, EXIT, UsageError, type Command, type Output } from './command.js';
import { sendCommand } from './send-command.js';
import { runSubcommand } from './subcommands.js';

const DEFAULT_WAIT_SECONDS = 60;

const usage = `usage:
  vigil resource start GROUP/RESOURCE [--wait [SECONDS]]   start one resource of a running group
  vigil resource stop GROUP/RESOURCE [--wait [SECONDS]]    stop one resource (the group stays where it is)

  --wait [SECONDS]  wait until the resource is online (start) or offline (stop), default ${DEFAULT_WAIT_SECONDS}s.
                    Resource states are known on the server that holds the group: ask that server's agent.
${agentOptionsUsage}

exit codes: 0 accepted (with --wait: done), 1 refused (the reason is printed; with --wait: failed or
timed out), 2 no agent answers or wrong usage`;

function parse(args: string[]) {
  const { rest, value: wait } = takeOptionalNumber(args, '--wait', DEFAULT_WAIT_SECONDS);
  const { values, positionals } = parseCommandArgs(rest, agentOptions);
  if (values.help) return { help: true as const };
  const [ref, extra] = positionals;
  if (ref === undefined) throw new UsageError('which resource? give GROUP/RESOURCE');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const [group, resource, more] = ref.split('/');
  if (!group || !resource || more !== undefined)
    throw new UsageError(`"${ref}" is not GROUP/RESOURCE, e.g. db/db-data`);
  return { help: false as const, values, group, resource, wait };
}

type Target = { group: string; resource: string; want: 'online' | 'offline' };
type Verdict = { done: false; message: string } | { done: true; ok: boolean; message: string };

export function resourceOutcome(target: Target, status: StatusSnapshot): Verdict {
  const name = `${target.group}/${target.resource}`;
  const group = status.groups.find((candidate) => candidate.name === target.group);
  const resource = group?.resources.find((candidate) => candidate.name === target.resource);
  if (group === undefined || resource === undefined)
    return { done: true, ok: false, message: `resource ${name} is not in the status of ${status.node}` };
  if (group.server !== null && group.server !== status.node)
    return {
      done: true,
      ok: false,
      message: `resource ${name} runs on ${group.server}; its state is only known there (vigil status --node ${group.server})`,
    };
  if (resource.state === target.want)
    return { done: true, ok: true, message: `resource ${name} is ${resource.state}` };
  if (resource.state === 'failed')
    return {
      done: true,
      ok: false,
      message: `resource ${name} failed; see vigil status and vigil logs tail`,
    };
  return { done: false, message: `resource ${name} is ${resource.state}` };
}

async function waitFor(
  client: ControlClient,
  target: Target,
  seconds: number,
  output: Output,
): Promise<number> {
  let latest: StatusSnapshot = await client.call('status.get', {});
  return new Promise((resolve, reject) => {
    let last = '';
    const finish = (result: () => void) => {
      clearTimeout(deadline);
      stopStatus();
      stopClose();
      result();
    };
    const check = () => {
      const verdict = resourceOutcome(target, latest);
      if (!verdict.done) {
        if (verdict.message !== last) output.out(`  ${verdict.message}`);
        last = verdict.message;
        return;
      }
      finish(() => {
        (verdict.ok ? output.out : output.err)(verdict.message);
        resolve(verdict.ok ? EXIT.ok : EXIT.failed);
      });
    };
    const stopStatus = client.on('status', (snapshot) => {
      latest = snapshot;
      check();
    });
    const stopClose = client.on('close', (reason) =>
      finish(() =>
        reject(
          new CommandFailure(
            `lost the agent while waiting: ${reason?.message ?? 'connection closed'}`,
            EXIT.unreachable,
          ),
        ),
      ),
    );
    const deadline = setTimeout(
      () =>
        finish(() => {
          output.err(`still waiting after ${seconds}s: ${last}; see vigil status`);
          resolve(EXIT.failed);
        }),
      seconds * 1000,
    );
    check();
  });
}

function resourceSubcommand(op: 'resource-start' | 'resource-stop') {
  return async (args: string[], output: Output): Promise<number> => {
    const parsed = parse(args);
    if (parsed.help) {
      output.out(usage);
      return EXIT.ok;
    }
    const { group, resource, wait } = parsed;
    return withAgent(parsed.values, async ({ client }) => {
      if (wait !== undefined) await client.call('status.subscribe', {});
      const code = await sendCommand(client, { op, group, resource }, output);
      if (code !== EXIT.ok || wait === undefined) return code;
      const want = op === 'resource-start' ? 'online' : 'offline';
      return waitFor(client, { group, resource, want }, wait, output);
    });
  };
}

export const resourceCommand: Command = {
  name: 'resource',
  summary: 'start or stop one resource of a running group',
  usage,
  run: (args, output) =>
    runSubcommand(args, output, usage, {
      start: resourceSubcommand('resource-start'),
      stop: resourceSubcommand('resource-stop'),
    }),
};
