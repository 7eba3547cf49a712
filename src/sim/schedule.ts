// Fault schedules: a seeded list of timed fault events over a fault window, after which everything
// heals and the cluster gets a quiet period to recover (see liveness.ts for how long). The same seed
// and model give the same schedule.
import type { ClusterModel } from '../engine/model.js';
import type { OperatorCommand } from '../engine/io.js';
import type { NetFault } from './network.js';
import type { MonitorFault, NpFault, ResourceFault } from './faults.js';
import type { Rng } from './prng.js';
import { describeCommand } from './node.js';

export type FaultEvent =
  /** The agent dies (kill -9, kernel panic); restarted after `restartAfterMs`, or at the heal when null. */
  | { at: number; kind: 'crash'; server: string; restartAfterMs: number | null }
  | { at: number; kind: 'restart'; server: string }
  | { at: number; kind: 'net'; fault: NetFault; durationMs: number }
  | { at: number; kind: 'resource'; fault: ResourceFault; durationMs: number }
  | { at: number; kind: 'monitor'; fault: MonitorFault; durationMs: number }
  | { at: number; kind: 'np'; fault: NpFault; durationMs: number }
  /** An operator command at `server`, or at a random live server when absent. */
  | { at: number; kind: 'operator'; command: OperatorCommand; server?: string };

export interface Schedule {
  /** Faults happen in [0, windowMs); at windowMs everything heals. */
  windowMs: number;
  events: FaultEvent[];
}

export interface ScheduleOptions {
  windowMs: number;
  /** Fault events to draw (before flapping links expand); default: 2 + up to one per 4 s of window. */
  faultCount?: number;
}

type Kind =
  | 'crash'
  | 'partition'
  | 'one-way'
  | 'loss'
  | 'delay'
  | 'link-down'
  | 'flap'
  | 'isolate'
  | 'resource-slow'
  | 'resource-fail'
  | 'monitor-fail'
  | 'np-cut'
  | 'operator';

export function generateSchedule(rng: Rng, model: ClusterModel, options: ScheduleOptions): Schedule {
  const { windowMs } = options;
  const names = model.servers.map((s) => s.name);
  const events: FaultEvent[] = [];
  const count = options.faultCount ?? rng.int(2, 2 + Math.floor(windowMs / 4000));
  const kinds: (readonly [Kind, number])[] = [
    ['crash', 3],
    ['partition', 3],
    ['one-way', 2],
    ['loss', 2],
    ['delay', 1],
    ['link-down', 2],
    ['flap', 2],
    ['isolate', 1],
    ['resource-slow', 3],
    ['resource-fail', 3],
    ['monitor-fail', model.monitors.length > 0 ? 2 : 0],
    ['np-cut', model.partition.methods.some((m) => m.kind !== 'majority') ? 3 : 0],
    ['operator', 3],
  ];
  const startAt = () => rng.int(500, Math.max(600, windowMs - 1000));
  const duration = (lo: number, hi: number) => rng.int(lo, hi);
  const pair = (): [string, string] => {
    const [a, b] = rng.sample(names, 2);
    return [a!, b!];
  };
  const sharedLink = (a: string, b: string): string => {
    const theirs = new Set(model.servers.find((s) => s.name === b)!.links.map((l) => l.id));
    const shared = model.servers.find((s) => s.name === a)!.links.filter((l) => theirs.has(l.id));
    return rng.pick(shared).id;
  };
  const anyServer = (): string | null => (rng.chance(0.3) ? null : rng.pick(names));

  for (let i = 0; i < count; i++) {
    const kind = rng.weighted(kinds);
    const at = startAt();
    switch (kind) {
      case 'crash':
        events.push({
          at,
          kind: 'crash',
          server: rng.pick(names),
          restartAfterMs: rng.chance(0.7) ? duration(1000, 15000) : null,
        });
        break;
      case 'partition': {
        if (names.length < 2) break;
        const shuffled = rng.shuffle(names);
        const sides: string[][] = [];
        if (names.length >= 5 && rng.chance(0.25)) {
          const c1 = rng.int(1, names.length - 2);
          const c2 = rng.int(c1 + 1, names.length - 1);
          sides.push(shuffled.slice(0, c1), shuffled.slice(c1, c2), shuffled.slice(c2));
        } else {
          const cut = rng.int(1, names.length - 1);
          sides.push(shuffled.slice(0, cut), shuffled.slice(cut));
        }
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'partition', sides },
          durationMs: duration(2000, 20000),
        });
        break;
      }
      case 'one-way': {
        if (names.length < 2) break;
        const [from, to] = pair();
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'one-way', from, to },
          durationMs: duration(2000, 15000),
        });
        break;
      }
      case 'loss':
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'loss', rate: rng.int(5, 60) / 100 },
          durationMs: duration(2000, 15000),
        });
        break;
      case 'delay':
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'delay', maxMs: rng.int(20, 250) },
          durationMs: duration(2000, 15000),
        });
        break;
      case 'link-down': {
        if (names.length < 2) break;
        const [a, b] = pair();
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'link-down', a, b, link: sharedLink(a, b) },
          durationMs: duration(2000, 20000),
        });
        break;
      }
      case 'flap': {
        if (names.length < 2) break;
        const [a, b] = pair();
        const id = sharedLink(a, b);
        const end = Math.min(windowMs, at + duration(5000, 20000));
        for (let t = at; t < end;) {
          const down = rng.int(100, 3000);
          events.push({ at: t, kind: 'net', fault: { kind: 'link-down', a, b, link: id }, durationMs: down });
          t += down + rng.int(100, 3000);
        }
        break;
      }
      case 'isolate':
        events.push({
          at,
          kind: 'net',
          fault: { kind: 'isolate', server: rng.pick(names) },
          durationMs: duration(2000, 15000),
        });
        break;
      case 'resource-slow':
      case 'resource-fail': {
        const group = rng.pick(model.groups);
        const mode = kind === 'resource-slow' ? 'slow' : rng.chance(0.7) ? 'fail' : 'timeout';
        events.push({
          at,
          kind: 'resource',
          fault: {
            server: anyServer(),
            group: group.name,
            resource: rng.chance(0.3) ? null : rng.pick(group.resources).name,
            action: rng.chance(0.6) ? 'start' : 'stop',
            mode,
          },
          durationMs: duration(2000, 20000),
        });
        break;
      }
      case 'monitor-fail':
        events.push({
          at,
          kind: 'monitor',
          fault: { server: anyServer(), monitor: rng.pick(model.monitors).name },
          durationMs: duration(1000, 15000),
        });
        break;
      case 'np-cut': {
        const kinds = model.partition.methods.map((m) => m.kind);
        const what = kinds.includes('ping') && rng.chance(0.5) ? 'ping' : 'arbiter';
        events.push({
          at,
          kind: 'np',
          fault: { server: rng.pick(names), what },
          durationMs: duration(500, 12000),
        });
        break;
      }
      case 'operator':
        events.push(...operatorEvents(rng, model, at, windowMs));
        break;
    }
  }
  events.sort((a, b) => a.at - b.at);
  return { windowMs, events };
}

function operatorEvents(rng: Rng, model: ClusterModel, at: number, windowMs: number): FaultEvent[] {
  const group = rng.pick(model.groups);
  const later = () => rng.int(at + 500, Math.max(at + 600, windowMs - 200));
  const what = rng.weighted([
    ['move', 4],
    ['stop', 2],
    ['start', 1],
    ['suspend', 2],
    ['monitor', model.monitors.length > 0 ? 1 : 0],
  ] as const);
  switch (what) {
    case 'move':
      return [
        {
          at,
          kind: 'operator',
          command: { op: 'group-move', group: group.name, to: rng.pick(group.policy) },
        },
      ];
    case 'start':
      return [{ at, kind: 'operator', command: { op: 'group-start', group: group.name } }];
    case 'stop': {
      const out: FaultEvent[] = [{ at, kind: 'operator', command: { op: 'group-stop', group: group.name } }];
      if (rng.chance(0.6))
        out.push({ at: later(), kind: 'operator', command: { op: 'group-start', group: group.name } });
      return out;
    }
    case 'monitor': {
      const monitor = rng.pick(model.monitors).name;
      if (rng.chance(0.3)) return [{ at, kind: 'operator', command: { op: 'monitor-reset', monitor } }];
      const out: FaultEvent[] = [{ at, kind: 'operator', command: { op: 'monitor-suspend', monitor } }];
      if (rng.chance(0.7))
        out.push({ at: later(), kind: 'operator', command: { op: 'monitor-resume', monitor } });
      return out;
    }
    case 'suspend': {
      const out: FaultEvent[] = [{ at, kind: 'operator', command: { op: 'cluster-suspend' } }];
      // Without a resume in the window, the world resumes the cluster after the heal.
      if (rng.chance(0.7)) out.push({ at: later(), kind: 'operator', command: { op: 'cluster-resume' } });
      return out;
    }
  }
}

export function describeEvent(e: FaultEvent): string {
  switch (e.kind) {
    case 'crash':
      return `crash ${e.server} (${e.restartAfterMs === null ? 'restart at heal' : `restart after ${e.restartAfterMs}ms`})`;
    case 'restart':
      return `restart ${e.server}`;
    case 'net':
      return `${describeNetFault(e.fault)} for ${e.durationMs}ms`;
    case 'resource': {
      const f = e.fault;
      return `${f.mode} ${f.action} of ${f.group}/${f.resource ?? '*'} on ${f.server ?? 'every server'} for ${e.durationMs}ms`;
    }
    case 'monitor':
      return `monitor ${e.fault.monitor} fails on ${e.fault.server ?? 'every server'} for ${e.durationMs}ms`;
    case 'np':
      return `${e.fault.server} cut off from ${e.fault.what === 'ping' ? 'its ping targets' : 'the lease arbiter'} for ${e.durationMs}ms`;
    case 'operator':
      return `operator ${describeCommand(e.command)}${e.server ? ` at ${e.server}` : ''}`;
  }
}

export function describeNetFault(f: NetFault): string {
  switch (f.kind) {
    case 'partition':
      return `partition ${f.sides.map((s) => s.join(',')).join(' | ')}`;
    case 'one-way':
      return `one-way loss ${f.from}→${f.to}`;
    case 'link-down':
      return `link ${f.link} down ${f.a}↔${f.b}`;
    case 'isolate':
      return `all links of ${f.server} down`;
    case 'loss':
      return `${Math.round(f.rate * 100)}% message loss`;
    case 'delay':
      return `delay up to ${f.maxMs}ms`;
  }
}
