// A simulated cluster for the console benchmark: 64 servers, 64 groups, 500 monitors, changed by a
// seeded generator so every run sees the same sequence of changes. Each step is 100 ms of cluster
// time: monitors due run (a few fail or recover), link round-trip times drift, now and then a group
// moves or a server goes down and comes back.
import type { LinkStatus, StatusSnapshot } from '../../src/control/protocol.js';
import type { NodeData } from '../../src/console/data/types.js';

const STEP_MS = 100;
const MONITOR_INTERVAL_MS = 5000;

/** mulberry32: a small seeded generator; the bench needs repeatability, not quality. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ClusterSize {
  servers: number;
  groups: number;
  monitors: number;
  /** Nodes the console is connected to (each sends its own copy of the status). */
  consoleNodes: number;
}

export class SimulatedCluster {
  private readonly random: () => number;
  private readonly status: StatusSnapshot;
  private now: number;

  constructor(
    private readonly size: ClusterSize,
    seed = 1,
  ) {
    this.random = seeded(seed);
    this.now = Date.parse('2026-01-01T10:00:00.000Z');
    const serverName = (index: number) => `s${String(index + 1).padStart(2, '0')}`;
    const servers = Array.from({ length: size.servers }, (_, index) => serverName(index));
    this.status = {
      protocol: 1,
      at: new Date(this.now).toISOString(),
      node: servers[0] as string,
      cluster: {
        name: 'bench',
        service: 'running',
        quorate: true,
        np: { verdict: 'none', reason: 'all servers up', at: null },
      },
      servers: servers.map((name, index) => ({
        name,
        state: 'up',
        self: index === 0,
        links: index === 0 ? [] : [this.link('lan1'), this.link('lan2')],
      })),
      groups: Array.from({ length: size.groups }, (_, index) => {
        const home = index % size.servers;
        const policy = [serverName(home), serverName((home + 1) % size.servers)];
        return {
          name: `grp-${String(index + 1).padStart(2, '0')}`,
          state: 'online' as const,
          server: policy[0] as string,
          epoch: 1,
          run: true,
          policy,
          local: 'offline' as const,
          resources: [
            { name: `ip-${index + 1}`, type: 'fip', state: 'online' },
            { name: `svc-${index + 1}`, type: 'exec', state: 'online' },
          ],
        };
      }),
      monitors: Array.from({ length: size.monitors }, (_, index) => ({
        name: `mon-${String(index + 1).padStart(3, '0')}`,
        type: index % 3 === 0 ? 'pid' : index % 3 === 1 ? 'tcp' : 'http',
        state: 'ok' as const,
        suspended: false,
        failures: 0,
        reactivations: 0,
        failovers: 0,
        limits: { retries: 1, reactivate: 3, failover: 1, final: 'stop-group' as const },
        // Staggered so that about monitors / 50 of them run in each 100 ms step.
        last: {
          ok: true,
          detail: '',
          at: new Date(this.now - Math.floor(this.random() * MONITOR_INTERVAL_MS)).toISOString(),
        },
      })),
      dropped: {},
      alerts: { unacknowledged: 0, critical: 0 },
    };
  }

  private link(id: string): LinkStatus {
    return {
      id,
      kind: 'lan',
      up: true,
      lastHeardMs: 100,
      rttMs: Math.round(2 + this.random() * 8) / 10,
      loss: 0,
    };
  }

  /** What the console's nodes have sent: one connected node per console node, all agreeing. */
  nodes(): NodeData[] {
    return Array.from({ length: this.size.consoleNodes }, (_, index) => {
      const name = this.status.servers[index]?.name ?? `s${index + 1}`;
      const status: StatusSnapshot = {
        ...this.status,
        node: name,
        servers: this.status.servers.map((server) => ({ ...server, self: server.name === name })),
      };
      return {
        name,
        where: `/run/vigil/${name}.sock`,
        connection: { kind: 'connected' },
        status,
        alerts: [],
        logs: [],
      };
    });
  }

  /** 100 ms of cluster time. Changed items get new objects, unchanged ones are shared (as after JSON). */
  step(tick: number): void {
    this.now += STEP_MS;
    const status = this.status;
    status.at = new Date(this.now).toISOString();
    status.monitors = status.monitors.map((monitor) => {
      if (!monitor.last || this.now - Date.parse(monitor.last.at) < MONITOR_INTERVAL_MS) return monitor;
      const failing = monitor.state === 'error' ? this.random() < 0.5 : this.random() < 0.02;
      return {
        ...monitor,
        state: failing ? 'error' : 'ok',
        failures: failing ? 1 : 0,
        last: { ok: !failing, detail: failing ? 'no answer' : '', at: status.at },
      };
    });
    status.servers = status.servers.map((server) => {
      if (server.self || this.random() > 0.08) return server;
      return { ...server, links: server.links.map((link) => (link.up ? this.link(link.id) : link)) };
    });
    if (tick % 10 === 9) {
      const index = Math.floor(this.random() * status.groups.length);
      status.groups = status.groups.map((group, at) => {
        if (at !== index) return group;
        const server = group.server === group.policy[0] ? group.policy[1] : group.policy[0];
        return { ...group, server: server ?? null, epoch: group.epoch + 1 };
      });
    }
    if (tick % 50 === 25) {
      const index = 1 + Math.floor(this.random() * (status.servers.length - 1));
      status.servers = status.servers.map((server, at) =>
        at !== index
          ? server
          : {
              ...server,
              state: server.state === 'up' ? 'down' : 'up',
              links: server.links.map((link) => ({ ...link, up: server.state !== 'up' })),
            },
      );
    }
  }
}
