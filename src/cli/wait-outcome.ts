// When a group command has played out: what `--wait` looks for in each status snapshot.
import type { StatusSnapshot } from '../control/protocol.js';
import type { OperatorCommand } from '../engine/io.js';

export type GroupCommand = Extract<OperatorCommand, { op: 'group-start' | 'group-stop' | 'group-move' }>;

export type Outcome = { done: true; ok: boolean; message: string } | { done: false; message: string };

type Group = StatusSnapshot['groups'][number];

/**
 * `failedAlready`: the group was failed before the command, so "failed" only counts once it has
 * been in another state since (a stale snapshot must not end the wait at once).
 */
export function groupOutcome(command: GroupCommand, status: StatusSnapshot, failedAlready: boolean): Outcome {
  const group = status.groups.find((candidate) => candidate.name === command.group);
  if (!group)
    return {
      done: true,
      ok: false,
      message: `group ${command.group} is not in the status of ${status.node}`,
    };
  const now = describe(group);
  const target = targetServer(command);
  const reached =
    command.op === 'group-stop'
      ? group.state === 'offline'
      : group.state === 'online' && (target === undefined || group.server === target);
  if (reached) return { done: true, ok: true, message: `group ${group.name} is ${now}` };
  if (group.state === 'failed' && !failedAlready)
    return {
      done: true,
      ok: false,
      message: `group ${group.name} is ${now}; see vigil status and vigil logs tail`,
    };
  if (command.op !== 'group-stop' && target !== undefined && group.state === 'online' && !group.run)
    return { done: true, ok: false, message: `group ${group.name} was stopped meanwhile` };
  return { done: false, message: `group ${group.name} is ${now}` };
}

function targetServer(command: GroupCommand): string | undefined {
  if (command.op === 'group-move') return command.to;
  if (command.op === 'group-start') return command.server;
  return undefined;
}

function describe(group: Group): string {
  return group.server ? `${group.state} on ${group.server}` : group.state;
}
