// Named scenarios: deterministic fault scripts on fixed models, each asserting its expected outcome
// (on top of the invariants every run checks: safety after every event, the ladder limits).
// Waits are in simulated time only, bounded by the liveness bound of liveness.ts.
import type { ClusterModel, FenceAction, GroupModel, NpMethodModel, ServerModel } from '../engine/model.js';
import type { EngineFactory } from './engine-port.js';
import { simTiming, serverNames } from './model-gen.js';
import { World } from './world.js';
import { formatEntry, formatTime, type TraceEntry } from './trace.js';
import { runToHealthy } from './run.js';

export interface ScenarioOutcome {
  ok: boolean;
  message: string;
  /** The violation or failed expectation with the last trace entries (empty when ok). */
  report: string;
}

export interface Scenario {
  name: string;
  description: string;
  run(world: World): string;
  model(): ClusterModel;
}

interface GroupSpec {
  name: string;
  policy: string[];
  resources?: number;
  failback?: 'auto' | 'manual';
}

export function fixedModel(
  servers: number,
  groups: GroupSpec[],
  action: FenceAction = 'reboot',
  lan1 = false,
  methods: NpMethodModel[] = [{ kind: 'majority' }],
): ClusterModel {
  const names = serverNames(servers);
  const serverModels: ServerModel[] = names.map((name, i) => ({
    name,
    links: [
      { id: 'lan0', kind: 'lan', address: `10.0.0.${i + 1}` },
      ...(lan1 ? [{ id: 'lan1', kind: 'lan' as const, address: `10.1.0.${i + 1}` }] : []),
    ],
  }));
  const groupModels: GroupModel[] = groups.map((g) => ({
    name: g.name,
    policy: g.policy,
    startup: 'auto',
    failback: g.failback ?? 'manual',
    resources: Array.from({ length: g.resources ?? 2 }, (_, i) => ({
      name: `r${i + 1}`,
      type: 'exec',
      dependsOn: i > 0 ? [`r${i}`] : [],
      startTimeoutMs: 2000,
      stopTimeoutMs: 2000,
      params: {},
    })),
  }));
  return {
    name: 'scenario',
    timing: simTiming,
    servers: serverModels,
    partition: { methods, action },
    groups: groupModels,
    monitors: [],
  };
}

/** Servers where every resource of the group is online (ground truth). */
export function onlineOn(world: World, group: string): string[] {
  return world.model.servers.map((s) => s.name).filter((s) => world.truth.isOnline(s, group));
}

class Expectation extends Error {}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Expectation(message);
}

/** Waits (simulated time) until the group is online on exactly `server`; fails after `withinMs`. */
function expectOnline(world: World, group: string, server: string, withinMs: number, why: string): number {
  const from = world.now;
  const ok = world.waitFor(() => {
    const on = onlineOn(world, group);
    return on.length === 1 && on[0] === server;
  }, withinMs);
  expect(
    ok,
    `${why}: expected ${group} online on ${server} within ${formatTime(withinMs)}, but it is online on ${onlineOn(world, group).join(',') || 'no server'}`,
  );
  return world.now - from;
}

/** Fails the run if `server` holds (any resource of) any group from now until the returned stop is called. */
function holdsNothing(world: World, server: string, why: string): () => void {
  return world.watch(() => {
    for (const g of world.model.groups) {
      if (world.truth.isActive(server, g.name))
        return `${why}: ${server} holds ${g.name} (${world.truth.describe(server)})`;
    }
    return null;
  });
}

/** Fails the run if the group is not online on `server` at any instant until the returned stop is called. */
function staysOnline(world: World, group: string, server: string, why: string): () => void {
  return world.watch(() =>
    world.truth.isOnline(server, group) ? null : `${why}: ${group} is not online on ${server}`,
  );
}

const startup = (world: World) => world.bound.totalMs;
const majority: NpMethodModel = { kind: 'majority' };
const disk: NpMethodModel = { kind: 'disk', device: '/dev/disk/by-id/shared-np' };

export const scenarios: Scenario[] = [
  {
    name: 'active-crash',
    description: 'the server running a group crashes; the next policy server takes it over within the bound',
    model: () => fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      world.runFor(3000);
      world.crash('s1');
      const took = expectOnline(world, 'g1', 's2', world.bound.totalMs, 'after s1 crashed');
      world.restart('s1');
      world.runFor(10_000);
      expect(onlineOn(world, 'g1').join() === 's2', 'failback is manual: g1 stays on s2 after s1 returns');
      return `g1 online on s2 ${formatTime(took)} after s1 crashed (bound ${formatTime(world.bound.totalMs)})`;
    },
  },
  {
    name: 'standby-crash',
    description: 'a standby server crashes and returns; the group never leaves the active server',
    model: () => fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      const stop = staysOnline(world, 'g1', 's1', 'standby crash');
      world.crash('s2');
      world.runFor(15_000);
      world.restart('s2');
      world.runFor(10_000);
      stop();
      return 'g1 stayed online on s1 throughout';
    },
  },
  {
    name: 'partition-2-1',
    description: '3 servers split 2|1: the minority fences and holds nothing; the majority runs every group',
    model: () =>
      fixedModel(
        3,
        [
          { name: 'g1', policy: ['s1', 's2', 's3'] },
          { name: 'g2', policy: ['s3', 's2', 's1'] },
        ],
        'stop-service',
      ),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      expectOnline(world, 'g2', 's3', startup(world), 'initial start');
      world.runFor(2000);
      const id = world.netFault({ kind: 'partition', sides: [['s1', 's2'], ['s3']] });
      const t = world.model.timing;
      // The minority notices, resolves and kills its groups within timeout + NP deadline + fence deadline.
      world.runFor(t.heartbeatTimeoutMs + t.npDeadlineMs + t.fenceDeadlineMs);
      const stop = holdsNothing(world, 's3', 'minority of a 2|1 partition');
      expect(world.view('s3')?.quorate === false, 's3 should not be quorate in the minority');
      const g1 = staysOnline(world, 'g1', 's1', 'majority keeps its group');
      const took = expectOnline(world, 'g2', 's2', world.bound.totalMs, 'g2 fails over inside the majority');
      world.runFor(5000);
      stop();
      g1();
      world.network.remove(id);
      world.runFor(world.bound.totalMs);
      expect(
        world.view('s3')?.service === 'running',
        `s3 should rejoin after the heal (service ${world.view('s3')?.service})`,
      );
      expect(onlineOn(world, 'g2').join() === 's2', 'g2 stays on s2 after the heal (failback manual)');
      return `minority s3 held nothing; g2 online on s2 ${formatTime(took)} after fencing; s3 rejoined`;
    },
  },
  {
    name: 'flapping-link',
    description:
      'lan0 between the servers flaps while lan1 holds: nothing moves; then the only link flaps with long outages: safety holds and the cluster recovers',
    model: () => fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }], 'reboot', true),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      const stay = staysOnline(world, 'g1', 's1', 'flapping lan0 with lan1 up');
      const flap = (
        a: string,
        b: string,
        link: string,
        until: number,
        down: [number, number],
        up: [number, number],
      ) => {
        while (world.now < until && !world.violation) {
          const id = world.netFault({ kind: 'link-down', a, b, link });
          world.runFor(world.rng.int(down[0], down[1]));
          world.network.remove(id);
          world.runFor(world.rng.int(up[0], up[1]));
        }
      };
      const phase1End = world.now + 30_000;
      flap('s1', 's2', 'lan0', phase1End, [200, 3000], [200, 2000]);
      stay();
      const fenced = world.trace.last().filter((e) => e.kind === 'fence');
      expect(
        fenced.length === 0,
        `no server should fence while lan1 is up (${fenced.map((e) => e.who).join(',')})`,
      );
      // Phase 2: s1's both links to everyone flap with outages longer than the heartbeat timeout.
      const phase2End = world.now + 30_000;
      while (world.now < phase2End && !world.violation) {
        const id = world.netFault({ kind: 'isolate', server: 's1' });
        world.runFor(world.rng.int(500, 4000));
        world.network.remove(id);
        world.runFor(world.rng.int(300, 3000));
      }
      const healAt = world.now;
      runToHealthy(world, healAt);
      expect(world.violation === null, 'liveness after the flapping stopped');
      return `no disruption while lan1 held; after ${formatTime(30_000)} of flapping isolation g1 is online on ${onlineOn(world, 'g1').join(',')}`;
    },
  },
  {
    name: 'move-during-partition',
    description:
      'during a 2|1 partition an operator moves the group to the cut-off server (refused or harmless) and then inside the majority (done)',
    model: () => fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'] }]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      world.runFor(2000);
      const id = world.netFault({ kind: 'partition', sides: [['s1', 's2'], ['s3']] });
      // Once both sides have noticed: s3 is out of the majority and fenced.
      world.runFor(world.model.timing.heartbeatTimeoutMs + world.model.timing.npDeadlineMs + 500);
      const never = world.watch(() =>
        world.truth.isActive('s3', 'g1') ? 'g1 must never run on s3 while it is cut off' : null,
      );
      world.operator({ op: 'group-move', group: 'g1', to: 's3' }, 's1');
      world.operator({ op: 'group-move', group: 'g1', to: 's3' }, 's3');
      world.runFor(1000);
      expect(onlineOn(world, 'g1').join() === 's1', 'a move to the cut-off server must not take g1 off s1');
      world.operator({ op: 'group-move', group: 'g1', to: 's2' }, 's1');
      const took = expectOnline(world, 'g1', 's2', world.bound.totalMs, 'move to s2 inside the majority');
      never();
      const replies = world.trace
        .last()
        .filter((e) => e.kind === 'reply')
        .map((e) => `${e.who}: ${e.text}`);
      world.network.remove(id);
      world.runFor(world.bound.totalMs);
      expect(
        onlineOn(world, 'g1').join() === 's2',
        `g1 should stay on s2 after the heal, is on ${onlineOn(world, 'g1').join(',')}`,
      );
      return `g1 moved to s2 in ${formatTime(took)}; replies: ${replies.join(' | ')}`;
    },
  },
  {
    name: 'both-crash-restart',
    description:
      'both servers of a 2-server cluster crash and restart; the group comes back on exactly one server',
    model: () =>
      fixedModel(2, [
        { name: 'g1', policy: ['s1', 's2'] },
        { name: 'g2', policy: ['s2', 's1'] },
      ]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      // With two servers under majority only s1 may run groups alone; both run while they see each other.
      expectOnline(world, 'g2', 's2', startup(world), 'initial start');
      world.runFor(2000);
      world.crash('s1');
      world.runFor(50);
      world.crash('s2');
      world.runFor(2000);
      world.restart('s2');
      world.runFor(700);
      world.restart('s1');
      expect(
        world.node('s1').incarnation === 2 && world.node('s2').incarnation === 2,
        'both restarted with incarnation 2',
      );
      const ok = world.waitFor(
        () => onlineOn(world, 'g1').length === 1 && onlineOn(world, 'g2').length === 1,
        world.bound.totalMs,
      );
      expect(
        ok,
        `after both restarted: g1 on ${onlineOn(world, 'g1').join(',') || 'no server'}, g2 on ${onlineOn(world, 'g2').join(',') || 'no server'}`,
      );
      return `g1 on ${onlineOn(world, 'g1').join()}, g2 on ${onlineOn(world, 'g2').join()} ${formatTime(world.now)} in`;
    },
  },
  {
    name: 'stop-during-failover',
    description:
      'the active server crashes and, while the group is starting on the next server, an operator stops it: it ends offline everywhere',
    model: () => fixedModel(3, [{ name: 'g1', policy: ['s1', 's2', 's3'], resources: 3 }]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      world.runFor(2000);
      // Slow starts on s2 keep the failover in progress long enough to stop it midway.
      world.resourceFault({ server: 's2', group: 'g1', resource: null, action: 'start', mode: 'slow' });
      world.crash('s1');
      const starting = world.waitFor(() => world.truth.isActive('s2', 'g1'), world.bound.totalMs);
      expect(starting, 'g1 should begin failing over to s2');
      world.runFor(300);
      world.operator({ op: 'group-stop', group: 'g1' }, 's3');
      const off = world.waitFor(() => world.truth.activeServers('g1').length === 0, world.bound.totalMs);
      expect(off, `g1 should end offline, is active on ${world.truth.activeServers('g1').join(',')}`);
      world.restart('s1');
      const stop = world.watch(() =>
        world.truth.activeServers('g1').length > 0 ? 'g1 restarted after an operator stop' : null,
      );
      world.runFor(world.bound.totalMs);
      stop();
      const runs = world.upServers().map((s) => world.view(s)?.groups.find((g) => g.name === 'g1')?.run);
      expect(
        runs.every((r) => r === false),
        `every server should see g1 stopped (run: ${runs.join(',')})`,
      );
      return 'g1 stopped mid-failover and stayed offline everywhere, s1 included after its restart';
    },
  },
  {
    name: 'disk-split-two-servers',
    description:
      '2 servers with majority then disk: every link is cut; the holder keeps the lease and its group, the other holds nothing',
    model: () =>
      fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'] }], 'stop-service', false, [majority, disk]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      world.runFor(2000);
      const stay = staysOnline(world, 'g1', 's1', 'the holder keeps its group');
      const idle = holdsNothing(world, 's2', 'the server without the lease');
      world.netFault({ kind: 'partition', sides: [['s1'], ['s2']] });
      world.runFor(world.bound.totalMs);
      stay();
      idle();
      expect(world.arbiter.holder === 's1', `s1 should hold the lease (holder ${world.arbiter.holder})`);
      expect(world.view('s2')?.quorate === false, 's2 should not be quorate without the lease');
      return 'g1 stayed on s1, which holds the disk lease; s2 held nothing';
    },
  },
  {
    name: 'disk-holder-cut-off',
    description:
      '2 servers with majority then disk: the links are cut and the holder cannot reach the disk; it fences and the other takes over',
    model: () =>
      fixedModel(2, [{ name: 'g1', policy: ['s1', 's2'] }], 'stop-service', false, [majority, disk]),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      world.runFor(2000);
      world.apply({
        at: world.now,
        kind: 'np',
        fault: { server: 's1', what: 'arbiter' },
        durationMs: 600_000,
      });
      world.netFault({ kind: 'partition', sides: [['s1'], ['s2']] });
      const took = expectOnline(world, 'g1', 's2', world.bound.totalMs, 'g1 fails over to the lease holder');
      expect(world.view('s1')?.service === 'fenced', `s1 should be fenced (${world.view('s1')?.service})`);
      return `g1 online on s2 ${formatTime(took)} after the cut; s1 fenced itself`;
    },
  },
  {
    name: 'witness-even-split',
    description:
      '4 servers with majority then witness, split 2|2: the side with the lease keeps or takes every group, the other holds nothing',
    model: () =>
      fixedModel(
        4,
        [
          { name: 'g1', policy: ['s1', 's2', 's3', 's4'] },
          { name: 'g2', policy: ['s4', 's3', 's2', 's1'] },
        ],
        'stop-service',
        false,
        [majority, { kind: 'witness', url: 'https://witness.example:29200/' }],
      ),
    run(world) {
      expectOnline(world, 'g1', 's1', startup(world), 'initial start');
      expectOnline(world, 'g2', 's4', startup(world), 'initial start');
      world.runFor(2000);
      world.apply({
        at: world.now,
        kind: 'np',
        fault: { server: 's4', what: 'arbiter' },
        durationMs: 600_000,
      });
      world.netFault({
        kind: 'partition',
        sides: [
          ['s1', 's2'],
          ['s3', 's4'],
        ],
      });
      const took = expectOnline(
        world,
        'g2',
        's2',
        world.bound.totalMs,
        'g2 fails over to the side with the lease',
      );
      expect(onlineOn(world, 'g1').join() === 's1', 'g1 stays on s1');
      for (const s of ['s3', 's4']) expect(world.view(s)?.quorate === false, `${s} should not be quorate`);
      return `the s1|s2 side holds the lease; g2 online on s2 ${formatTime(took)} after the split`;
    },
  },
];

export function runScenario(
  name: string,
  factory: EngineFactory,
  live?: (e: TraceEntry) => void,
  seed = 1,
): ScenarioOutcome {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) return { ok: false, message: `no scenario ${name}`, report: '' };
  const world = new World(scenario.model(), { seed, factory, traceCapacity: 400 });
  world.setStartFailures(false);
  if (live) world.trace.live = live;
  world.start();
  let message: string;
  try {
    message = scenario.run(world);
  } catch (error) {
    if (!(error instanceof Expectation)) throw error;
    message = error.message;
    return { ok: false, message, report: report(world, name, message) };
  }
  if (world.violation) {
    const v = world.violation;
    const text = `${v.invariant} violated at ${formatTime(v.at)}: ${v.message}`;
    return { ok: false, message: text, report: report(world, name, text) };
  }
  return { ok: true, message, report: '' };
}

function report(world: World, name: string, message: string): string {
  return [
    `scenario ${name} failed at ${formatTime(world.now)}: ${message}`,
    'last trace entries:',
    ...world.trace.last(100).map((e) => `  ${formatEntry(e)}`),
    `replay: npm run sim -- --scenario ${name} --trace`,
  ].join('\n');
}
