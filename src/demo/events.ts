// What changed between two status snapshots, one line per change, for the demo's live event lines.
import type { AlertEntry, StatusSnapshot } from '../control/protocol.js';

type Group = StatusSnapshot['groups'][number];

export function statusChanges(before: StatusSnapshot | undefined, after: StatusSnapshot): string[] {
  if (!before) return [];
  const lines: string[] = [];
  const { cluster } = after;
  if (before.cluster.service !== cluster.service)
    lines.push(`cluster service: ${before.cluster.service} → ${cluster.service}`);
  if (before.cluster.quorate !== cluster.quorate)
    lines.push(cluster.quorate ? 'cluster: quorum regained' : 'cluster: quorum lost');
  // The decision is re-taken now and then; only a different outcome is news.
  const np = before.cluster.np;
  if (cluster.np.verdict !== 'none' && (cluster.np.verdict !== np.verdict || cluster.np.reason !== np.reason))
    lines.push(
      `partition resolution on ${after.node}: ${cluster.np.verdict === 'win' ? 'won' : 'lost'} (${cluster.np.reason})`,
    );
  for (const server of after.servers) {
    const old = before.servers.find((candidate) => candidate.name === server.name);
    if (old && old.state !== server.state)
      lines.push(`server ${server.name}: ${old.state} → ${server.state}`);
  }
  for (const group of after.groups) {
    const old = before.groups.find((candidate) => candidate.name === group.name);
    if (!old) continue;
    if (where(old) !== where(group)) lines.push(`group ${group.name}: ${where(old)} → ${where(group)}`);
    if (old.run !== group.run)
      lines.push(`group ${group.name}: ${group.run ? 'to run again' : 'stopped by an operator'}`);
    // Resource states are the answering server's own: compare them only within one server's view.
    if (before.node !== after.node) continue;
    for (const resource of group.resources) {
      const previous = old.resources.find((candidate) => candidate.name === resource.name);
      if (previous && previous.state !== resource.state)
        lines.push(
          `resource ${group.name}/${resource.name} on ${after.node}: ${previous.state} → ${resource.state}`,
        );
    }
  }
  // Monitor states are per server as well.
  if (before.node !== after.node) return lines;
  for (const monitor of after.monitors) {
    const old = before.monitors.find((candidate) => candidate.name === monitor.name);
    if (!old) continue;
    if (old.state !== monitor.state) lines.push(`monitor ${monitor.name}: ${old.state} → ${monitor.state}`);
    else if (old.suspended !== monitor.suspended)
      lines.push(`monitor ${monitor.name}: ${monitor.suspended ? 'suspended' : 'resumed'}`);
  }
  return lines;
}

function where(group: Group): string {
  return group.server ? `${group.state} on ${group.server}` : group.state;
}

export function alertLine(alert: AlertEntry): string {
  if (alert.ack)
    return `alert ${alert.id} acknowledged by ${alert.ack.by}${alert.ack.note ? `: ${alert.ack.note}` : ''}`;
  return `alert ${alert.severity} from ${alert.server}: ${alert.kind}: ${alert.message}`;
}

/** What still keeps the cluster from being ready: servers not up, groups not online. */
export function notReady(status: StatusSnapshot, servers: string[], groups: string[]): string[] {
  const reasons: string[] = [];
  for (const name of servers) {
    const server = status.servers.find((candidate) => candidate.name === name);
    if (server?.state !== 'up') reasons.push(`server ${name} is ${server?.state ?? 'unknown'}`);
  }
  for (const name of groups) {
    const group = status.groups.find((candidate) => candidate.name === name);
    if (group?.state !== 'online')
      reasons.push(`group ${name} is ${group ? where(group) : 'not in the status'}`);
  }
  return reasons;
}
