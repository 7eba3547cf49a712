// The command palette: `:move web s2`, `:ack all`, `:theme dark` … parsed into what to do.
import type { StatusSnapshot } from '../control/protocol.js';
import type { ClusterRequest } from './data/types.js';

export type PaletteResult =
  | { kind: 'request'; request: ClusterRequest; question: string; watch: Watch }
  | { kind: 'cluster'; name: string }
  | { kind: 'theme'; name: string }
  | { kind: 'collect' }
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'message'; text: string }
  | { kind: 'error'; text: string };

/** What the progress line waits for in the status: a description, and whether it has happened. */
export interface Watch {
  doing: string;
  done(status: StatusSnapshot): string | undefined;
}

export const PALETTE_COMMANDS: { usage: string; description: string; changes: boolean }[] = [
  { usage: 'move GROUP SERVER', description: 'move a group to a server', changes: true },
  { usage: 'start GROUP', description: 'start a group', changes: true },
  { usage: 'stop GROUP', description: 'stop a group', changes: true },
  { usage: 'suspend MONITOR', description: 'suspend a monitor', changes: true },
  { usage: 'resume MONITOR', description: 'resume a monitor', changes: true },
  { usage: 'ack ID|all', description: 'acknowledge an alert, or all', changes: true },
  { usage: 'collect', description: 'collect logs of every server', changes: false },
  {
    usage: 'cluster NAME',
    description: 'switch to a cluster of ~/.config/vigil/console.yaml',
    changes: false,
  },
  { usage: 'theme NAME', description: 'switch theme', changes: false },
  { usage: 'help', description: 'the help screen', changes: false },
  { usage: 'quit', description: 'leave the console', changes: false },
];

export function parsePalette(
  text: string,
  status: StatusSnapshot | undefined,
  readOnly: boolean,
): PaletteResult {
  const [verb, ...args] = text.trim().split(/\s+/).filter(Boolean);
  if (!verb) return { kind: 'error', text: 'type a command, e.g. move web s2 (Esc closes)' };
  const known = PALETTE_COMMANDS.find((command) => command.usage.split(' ')[0] === verb);
  if (!known)
    return {
      kind: 'error',
      text: `unknown command "${verb}" (commands: ${PALETTE_COMMANDS.map((c) => c.usage.split(' ')[0]).join(', ')})`,
    };
  const wanted = known.usage.split(' ').length - 1;
  if (args.length !== wanted) return { kind: 'error', text: `usage: ${known.usage}` };
  if (known.changes && readOnly)
    return { kind: 'error', text: `${verb}: the console is read-only (--read-only)` };
  switch (verb) {
    case 'quit':
      return { kind: 'quit' };
    case 'help':
      return { kind: 'help' };
    case 'collect':
      return { kind: 'collect' };
    case 'cluster':
      return { kind: 'cluster', name: args[0] as string };
    case 'theme':
      return { kind: 'theme', name: args[0] as string };
    case 'ack':
      return ackRequest(args[0] as string);
  }
  if (!status)
    return { kind: 'error', text: `${verb}: no node of the cluster is reachable, so nothing can be changed` };
  if (verb === 'suspend' || verb === 'resume') return monitorRequest(verb, args[0] as string, status);
  return groupRequest(verb as 'move' | 'start' | 'stop', args[0] as string, args[1], status);
}

function ackRequest(target: string): PaletteResult {
  const ids = target === 'all' ? 'all' : [target];
  return {
    kind: 'request',
    request: { kind: 'ack', ids },
    question: target === 'all' ? 'Acknowledge every alert?' : `Acknowledge alert ${target}?`,
    watch: { doing: 'acknowledging', done: () => 'acknowledged' },
  };
}

function monitorRequest(verb: 'suspend' | 'resume', name: string, status: StatusSnapshot): PaletteResult {
  const monitor = status.monitors.find((candidate) => candidate.name === name);
  if (!monitor)
    return {
      kind: 'error',
      text: `no monitor "${name}" (monitors: ${status.monitors.map((m) => m.name).join(', ') || 'none'})`,
    };
  const suspend = verb === 'suspend';
  return {
    kind: 'request',
    request: {
      kind: 'command',
      command: { op: suspend ? 'monitor-suspend' : 'monitor-resume', monitor: name },
    },
    question: suspend
      ? `Suspend monitor ${name}? Failures of what it watches go undetected and nothing recovers them until it is resumed.`
      : `Resume monitor ${name}? It checks again, and starts recovery if its target is failing.`,
    watch: {
      doing: `${suspend ? 'suspending' : 'resuming'} monitor ${name}`,
      done: (next) => {
        const now = next.monitors.find((candidate) => candidate.name === name);
        if (!now) return undefined;
        return now.suspended === suspend
          ? `monitor ${name} is ${suspend ? 'suspended' : 'resumed'}`
          : undefined;
      },
    },
  };
}

function groupRequest(
  verb: 'move' | 'start' | 'stop',
  name: string,
  target: string | undefined,
  status: StatusSnapshot,
): PaletteResult {
  const group = status.groups.find((candidate) => candidate.name === name);
  if (!group)
    return {
      kind: 'error',
      text: `no group "${name}" (groups: ${status.groups.map((g) => g.name).join(', ') || 'none'})`,
    };
  const from = group.server ?? 'no server';
  if (verb === 'move') {
    const to = target as string;
    const server = status.servers.find((candidate) => candidate.name === to);
    if (!server)
      return {
        kind: 'error',
        text: `no server "${to}" (servers: ${status.servers.map((s) => s.name).join(', ')})`,
      };
    if (group.server === to) return { kind: 'error', text: `group ${name} already runs on ${to}` };
    if (server.state !== 'up')
      return { kind: 'error', text: `server ${to} is ${server.state}: ${name} cannot move there` };
    return {
      kind: 'request',
      request: { kind: 'command', command: { op: 'group-move', group: name, to } },
      question: `Move ${name} from ${from} to ${to}? Clients of ${name} lose service while it moves.`,
      watch: {
        doing: `moving ${name} to ${to}`,
        done: (next) =>
          settled(next, name, (g) => g.state === 'online' && g.server === to, `${name} is online on ${to}`),
      },
    };
  }
  if (verb === 'start')
    return {
      kind: 'request',
      request: { kind: 'command', command: { op: 'group-start', group: name } },
      question: `Start ${name}? It starts on the first available server of its policy (${group.policy.join(' > ')}).`,
      watch: {
        doing: `starting ${name}`,
        done: (next) => settled(next, name, (g) => g.state === 'online', `${name} is online`),
      },
    };
  return {
    kind: 'request',
    request: { kind: 'command', command: { op: 'group-stop', group: name } },
    question: `Stop ${name} on ${from}? Clients of ${name} lose service until it is started again.`,
    watch: {
      doing: `stopping ${name}`,
      done: (next) => settled(next, name, (g) => g.state === 'offline', `${name} is stopped`),
    },
  };
}

function settled(
  status: StatusSnapshot,
  name: string,
  ok: (group: StatusSnapshot['groups'][number]) => boolean,
  success: string,
): string | undefined {
  const group = status.groups.find((candidate) => candidate.name === name);
  if (!group) return undefined;
  if (ok(group)) return success;
  if (group.state === 'failed')
    return `${name} failed${group.server ? ` on ${group.server}` : ''}: see the alerts and logs`;
  return undefined;
}
