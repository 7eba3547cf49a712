// The status snapshot the control API serves: the engine's view of the cluster plus what only the
// agent knows (link round-trip times and loss, dropped frames, last monitor results, alerts).
import type { EngineView } from '../engine/io.js';
import type { ClusterModel } from '../engine/model.js';
import {
  PROTOCOL_VERSION,
  type LinkEndStatus,
  type LinkStatus,
  type PeerChannelStatus,
  type StatusSnapshot,
} from '../control/protocol.js';

export interface LinkStats {
  rttMs: number | null;
  loss: number | null;
}

export interface StatusSources {
  model: ClusterModel;
  view: EngineView;
  /** Engine time (ms) to wall-clock time. */
  wallTime(engineMs: number): Date;
  linkStats(peer: string, linkId: string): LinkStats | null;
  dropped: Record<string, number>;
  lastResults: Map<string, { ok: boolean; detail: string; at: Date }>;
  alerts: { unacknowledged: number; critical: number };
  linkEnds?: LinkEndStatus[];
  peerChannels?: PeerChannelStatus[];
}

export function buildStatus(src: StatusSources): StatusSnapshot {
  const { model, view } = src;
  const linkKinds = new Map(model.servers.flatMap((s) => s.links.map((l) => [l.id, l.kind] as const)));
  const resourceTypes = new Map(
    model.groups.map((g) => [g.name, new Map(g.resources.map((r) => [r.name, r.type]))]),
  );
  return {
    protocol: PROTOCOL_VERSION,
    at: src.wallTime(view.now).toISOString(),
    node: view.server,
    cluster: {
      name: view.cluster,
      service: view.service,
      quorate: view.quorate,
      np: {
        verdict: view.np.verdict,
        reason: view.np.reason,
        at: view.np.verdict === 'none' ? null : src.wallTime(view.np.at).toISOString(),
      },
    },
    servers: view.servers.map((server) => ({
      name: server.name,
      state: server.state,
      self: server.name === view.server,
      health: server.health,
      links: server.links.map((link): LinkStatus => ({
        id: link.id,
        kind: linkKinds.get(link.id) ?? 'lan',
        up: link.up,
        lastHeardMs: link.lastHeardMs,
        ...(src.linkStats(server.name, link.id) ?? { rttMs: null, loss: null }),
      })),
    })),
    groups: view.groups.map((group) => {
      const model = resourceTypes.get(group.name) ?? new Map<string, string>();
      const policy = src.model.groups.find((g) => g.name === group.name)?.policy ?? [];
      return {
        name: group.name,
        state: group.state,
        server: group.server,
        epoch: group.epoch,
        run: group.run,
        policy,
        local: group.local,
        resources: [...model.entries()].map(([name, type]) => ({
          name,
          type,
          // Resource states are known on the server that runs the group; elsewhere they follow the group.
          state:
            group.server === view.server
              ? (view.resources.find((r) => r.group === group.name && r.name === name)?.state ?? 'offline')
              : group.state === 'online'
                ? 'online'
                : group.state === 'offline'
                  ? 'offline'
                  : 'unknown',
        })),
      };
    }),
    monitors: view.monitors.map((monitor) => {
      const last = src.lastResults.get(monitor.name);
      return {
        ...monitor,
        type: model.monitors.find((m) => m.name === monitor.name)?.type ?? 'unknown',
        last: last ? { ok: last.ok, detail: last.detail, at: last.at.toISOString() } : null,
      };
    }),
    dropped: { ...src.dropped },
    alerts: src.alerts,
    ...(src.linkEnds ? { linkEnds: src.linkEnds } : {}),
    ...(src.peerChannels ? { peerChannels: src.peerChannels } : {}),
  };
}
