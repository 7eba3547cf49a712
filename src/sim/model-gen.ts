// Random cluster models for fault schedules: K servers with heartbeat links, 1–4 failover groups of
// 1–3 resources (with dependency chains) and random policies, and custom monitors on resources with
// recovery ladders. Timing is fixed so that the liveness bound is the same for every model.
import type {
  ClusterModel,
  FenceAction,
  GroupModel,
  LinkModel,
  MonitorModel,
  NpMethodModel,
  ResourceModel,
  ServerModel,
  Timing,
} from '../engine/model.js';
import type { Rng } from './prng.js';

export const simTiming: Timing = {
  heartbeatIntervalMs: 500,
  heartbeatTimeoutMs: 2000,
  npDeadlineMs: 1000,
  fenceDeadlineMs: 1000,
  takeoverDelayMs: 4500,
};

export interface ModelOptions {
  timing?: Timing;
  /** Override the fence action (otherwise drawn: mostly reboot). */
  fenceAction?: FenceAction;
  /** Override the partition methods (otherwise drawn among the safe combinations). */
  npMethods?: NpMethodModel[];
}

const disk: NpMethodModel = { kind: 'disk', device: '/dev/disk/by-id/shared-np' };
const witness: NpMethodModel = { kind: 'witness', url: 'https://witness.example:29200/' };
const ping: NpMethodModel = { kind: 'ping', targets: ['gw'], mode: 'any' };

/**
 * The combinations that promise safety: majority, a lease (disk or witness), and ping or com only
 * ahead of a lease. Ping or com deciding alone is the documented hazard, tested apart.
 */
export function safeNpMethods(rng: Rng, hasCom: boolean): NpMethodModel[] {
  const choices: [NpMethodModel[], number][] = [
    [[{ kind: 'majority' }], 4],
    [[{ kind: 'majority' }, disk], 2],
    [[{ kind: 'majority' }, witness], 2],
    [[disk], 1],
    [[witness], 1],
    [[ping, disk], 1],
    [[{ kind: 'majority' }, ping, witness], 1],
  ];
  if (hasCom) choices.push([[{ kind: 'com' }, disk], 1]);
  return rng.weighted(choices);
}

export function serverNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `s${i + 1}`);
}

function link(id: string, server: number): LinkModel {
  if (id.startsWith('lan'))
    return { id, kind: 'lan', address: `10.${id === 'lan0' ? 0 : 1}.0.${server + 1}` };
  if (id === 'com') return { id, kind: 'com', device: '/dev/ttyS0' };
  return { id, kind: 'disk', device: '/dev/disk/by-id/shared-hb' };
}

export function generateModel(rng: Rng, serverCount: number, options: ModelOptions = {}): ClusterModel {
  const names = serverNames(serverCount);
  const clusterLinks = ['lan0'];
  if (rng.chance(0.6)) clusterLinks.push('lan1');
  if (serverCount === 2 && rng.chance(0.5)) clusterLinks.push('com');
  if (rng.chance(0.4)) clusterLinks.push('disk');
  const servers: ServerModel[] = names.map((name, i) => ({
    name,
    // lan0 is everywhere, so every pair shares a link; a server may lack some of the others.
    links: clusterLinks.filter((id) => id === 'lan0' || !rng.chance(0.15)).map((id) => link(id, i)),
  }));

  const groups: GroupModel[] = [];
  const monitors: MonitorModel[] = [];
  const groupCount = rng.int(1, 4);
  for (let g = 1; g <= groupCount; g++) {
    const name = `g${g}`;
    const policySize = Math.min(
      serverCount,
      rng.weighted([
        [1, 1],
        [2, 4],
        [3, 3],
        [4, 2],
      ]),
    );
    const resources: ResourceModel[] = [];
    const resourceCount = rng.int(1, 3);
    for (let r = 1; r <= resourceCount; r++) {
      const dependsOn = r > 1 && rng.chance(0.7) ? [`r${rng.int(1, r - 1)}`] : [];
      resources.push({
        name: `r${r}`,
        type: 'exec',
        dependsOn,
        startTimeoutMs: rng.int(10, 25) * 100,
        stopTimeoutMs: rng.int(10, 25) * 100,
        params: {},
      });
    }
    groups.push({
      name,
      policy: rng.sample(names, policySize),
      startup: rng.chance(0.85) ? 'auto' : 'manual',
      failback: rng.chance(0.4) ? 'auto' : 'manual',
      resources,
    });
    const monitorCount = rng.weighted([
      [0, 2],
      [1, 4],
      [2, 2],
    ]);
    for (let m = 1; m <= monitorCount; m++) {
      const resource = rng.pick(resources).name;
      const intervalMs = rng.int(5, 10) * 100;
      const retries = rng.int(0, 2);
      // Derived from values already drawn (no extra draws), so existing seeds keep their worlds.
      const quiet = retries === 1 ? { resetAfterMs: intervalMs * 20 } : {};
      monitors.push({
        name: `${name}-mon${m}`,
        type: 'custom',
        target: { group: name, resource },
        intervalMs,
        timeoutMs: 2000,
        retries,
        timing: 'active',
        ...(intervalMs >= 800 ? { waitAfterStartMs: intervalMs * 2 } : {}),
        recovery: {
          target: rng.chance(0.7) ? { group: name, resource } : { group: name },
          reactivate: rng.int(0, 2),
          failover: rng.int(0, 1),
          final: rng.chance(0.5) ? 'none' : 'stop-group',
          ...quiet,
        },
        params: { command: `check-${name}-${resource}` },
      });
    }
  }
  const action: FenceAction =
    options.fenceAction ??
    rng.weighted<FenceAction>([
      ['reboot', 6],
      ['stop-service', 3],
      ['poweroff', 1],
    ]);
  return {
    name: `sim-${serverCount}`,
    timing: options.timing ?? simTiming,
    servers,
    partition: { methods: options.npMethods ?? safeNpMethods(rng, clusterLinks.includes('com')), action },
    groups,
    monitors,
  };
}
