// The merged picture: which nodes the console reaches, the cluster as they report it, and whether the
// reachable nodes disagree (different group holders or server states: a possible partition). "A server
// is down" (the cluster says so) is kept apart from "this console cannot reach it".
import type { AlertEntry, LogLine, StatusSnapshot } from '../../control/protocol.js';
import type { ConnectionState, ConsoleData, NodeData } from './types.js';

export interface ClusterModel {
  name: string | undefined;
  nodes: { name: string; where: string; connection: ConnectionState }[];
  reachable: string[];
  unreachable: { name: string; reason: string }[];
  /** The status of the first reachable node: what the views show. */
  view: StatusSnapshot | undefined;
  /** Every reachable node's own view, by node name (for the heartbeat matrix). */
  views: Map<string, StatusSnapshot>;
  /** Human-readable differences between the reachable nodes' views; empty when they agree. */
  disagreements: string[];
  /** All alerts of all nodes, one per id, newest first. */
  alerts: AlertEntry[];
  logs: LogLine[];
}

export function clusterModel(data: ConsoleData): ClusterModel {
  const connected = data.nodes.filter((node) => node.connection.kind === 'connected' && node.status);
  const views = new Map<string, StatusSnapshot>();
  for (const node of connected) views.set(node.name, node.status as StatusSnapshot);
  const view = connected[0]?.status;
  return {
    name: view?.cluster.name ?? data.nodes.find((node) => node.status)?.status?.cluster.name,
    nodes: data.nodes.map(({ name, where, connection }) => ({ name, where, connection })),
    reachable: connected.map((node) => node.name),
    unreachable: data.nodes.flatMap((node) =>
      node.connection.kind === 'unreachable' ? [{ name: node.name, reason: node.connection.reason }] : [],
    ),
    view,
    views,
    disagreements: disagreements(connected),
    alerts: mergeAlerts(data.nodes),
    logs: mergeLogs(data.nodes),
  };
}

function disagreements(nodes: NodeData[]): string[] {
  if (nodes.length < 2) return [];
  const found: string[] = [];
  const statuses = nodes.map((node) => node.status as StatusSnapshot);
  const groupNames = new Set(statuses.flatMap((status) => status.groups.map((group) => group.name)));
  for (const name of groupNames) {
    const claims = statuses.map((status) => {
      const group = status.groups.find((candidate) => candidate.name === name);
      return {
        node: status.node,
        text: group ? `${group.state} on ${group.server ?? 'no server'}` : 'unknown',
      };
    });
    if (new Set(claims.map((claim) => claim.text)).size > 1)
      found.push(`group ${name}: ${claims.map((claim) => `${claim.node} says ${claim.text}`).join(', ')}`);
  }
  const serverNames = new Set(statuses.flatMap((status) => status.servers.map((server) => server.name)));
  for (const name of serverNames) {
    const claims = statuses.map((status) => ({
      node: status.node,
      text: status.servers.find((server) => server.name === name)?.state ?? 'unknown',
    }));
    if (new Set(claims.map((claim) => claim.text)).size > 1)
      found.push(`server ${name}: ${claims.map((claim) => `${claim.node} says ${claim.text}`).join(', ')}`);
  }
  return found;
}

function mergeAlerts(nodes: NodeData[]): AlertEntry[] {
  const byId = new Map<string, AlertEntry>();
  for (const node of nodes)
    for (const alert of node.alerts) {
      const known = byId.get(alert.id);
      if (!known || (!known.ack && alert.ack)) byId.set(alert.id, alert);
    }
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id.localeCompare(a.id)));
}

function mergeLogs(nodes: NodeData[]): LogLine[] {
  const all = nodes.flatMap((node) => node.logs);
  return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
