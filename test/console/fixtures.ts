// Snapshots for the console tests: a healthy cluster, a degraded one, and a partitioned one.
import type { AlertEntry, StatusSnapshot } from '../../src/control/protocol.js';
import type { NodeData } from '../../src/console/data/types.js';

const AT = '2026-01-01T10:00:10.000Z';

export function snapshot(node: string, patch: (status: StatusSnapshot) => void = () => {}): StatusSnapshot {
  const link = (id: string, up = true) => ({
    id,
    kind: 'lan' as const,
    up,
    lastHeardMs: up ? 200 : 9000,
    rttMs: up ? 0.4 : null,
    loss: 0,
  });
  const status: StatusSnapshot = {
    protocol: 1,
    at: AT,
    node,
    cluster: {
      name: 'demo',
      service: 'running',
      quorate: true,
      np: { verdict: 'none', reason: 'all servers up', at: null },
    },
    servers: ['s1', 's2', 's3'].map((name) => ({
      name,
      state: 'up' as const,
      self: name === node,
      links: name === node ? [] : [link('lan1')],
    })),
    groups: [
      {
        name: 'web',
        state: 'online',
        server: 's1',
        epoch: 1,
        run: true,
        policy: ['s1', 's2', 's3'],
        local: node === 's1' ? 'online' : 'offline',
        resources: [{ name: 'web-ip', type: 'fip', state: 'online' }],
      },
      {
        name: 'batch',
        state: 'online',
        server: 's2',
        epoch: 1,
        run: true,
        policy: ['s2', 's1'],
        local: 'offline',
        resources: [],
      },
    ],
    monitors: [
      {
        name: 'web-pid',
        type: 'pid',
        state: 'ok',
        suspended: false,
        failures: 0,
        reactivations: 1,
        failovers: 0,
        limits: { retries: 1, reactivate: 3, failover: 1, final: 'stop-group' },
        last: { ok: true, detail: '', at: '2026-01-01T10:00:07.000Z' },
      },
    ],
    dropped: {},
    alerts: { unacknowledged: 0, critical: 0 },
  };
  patch(status);
  return status;
}

export function node(name: string, status: StatusSnapshot | undefined, alerts: AlertEntry[] = []): NodeData {
  return {
    name,
    where: `/tmp/${name}.sock`,
    connection: status ? { kind: 'connected' } : { kind: 'unreachable', reason: 'ECONNREFUSED' },
    status,
    alerts,
    logs: [],
  };
}

export const criticalAlert: AlertEntry = {
  id: 's1-1-7',
  at: '2026-01-01T10:00:05.000Z',
  server: 's1',
  severity: 'critical',
  kind: 'server-down',
  message: 'server s3 is down',
  ack: null,
};

export function healthy(): NodeData[] {
  return [node('s1', snapshot('s1')), node('s2', snapshot('s2')), node('s3', snapshot('s3'))];
}

export function degraded(): NodeData[] {
  const patch = (status: StatusSnapshot) => {
    const s3 = status.servers.find((server) => server.name === 's3');
    if (s3) {
      s3.state = 'down';
      s3.links = [{ id: 'lan1', kind: 'lan', up: false, lastHeardMs: 9000, rttMs: null, loss: 1 }];
    }
    // s2's monitors warn or fail: a lower health score (shown as ♥75).
    const s2 = status.servers.find((server) => server.name === 's2');
    if (s2) s2.health = 75;
    const monitor = status.monitors[0];
    if (monitor) {
      monitor.state = 'error';
      monitor.last = { ok: false, detail: 'no process', at: '2026-01-01T10:00:09.000Z' };
    }
    status.alerts = { unacknowledged: 1, critical: 1 };
  };
  return [
    node('s1', snapshot('s1', patch), [criticalAlert]),
    node('s2', snapshot('s2', patch)),
    node('s3', undefined),
  ];
}

export function partitioned(): NodeData[] {
  return [
    node(
      's1',
      snapshot('s1', (status) => ((status.servers[1] as { state: string }).state = 'down')),
    ),
    node(
      's2',
      snapshot('s2', (status) => {
        (status.servers[0] as { state: string }).state = 'down';
        (status.groups[0] as { server: string | null }).server = 's2';
      }),
    ),
    node('s3', undefined),
  ];
}
