// The human form of `vigil status`: the cluster line, servers with their links, groups with their
// resources, monitors with their recovery ladders, alerts, and the health verdict. A row that needs
// attention starts with "!", so nothing depends on colour.
import type { LinkStatus, StatusSnapshot } from '../control/protocol.js';
import { healthProblems } from './status-health.js';
import type { Style } from './style.js';

type Row = { problem: boolean; cells: string[]; styles?: ((text: string) => string)[] };

export function formatStatus(status: StatusSnapshot, style: Style): string {
  const lines = [clusterLine(status, style)];
  lines.push(style.bold('servers'), ...table(serverRows(status, style)));
  if (status.linkEnds && status.linkEnds.length > 0)
    lines.push(style.bold(`links of ${status.node}`), ...table(linkEndRows(status, style)));
  if (status.groups.length > 0) lines.push(style.bold('groups'), ...groupLines(status, style));
  if (status.monitors.length > 0) lines.push(style.bold('monitors'), ...table(monitorRows(status, style)));
  const dropped = Object.entries(status.dropped).filter(([, count]) => count > 0);
  if (dropped.length > 0)
    lines.push(`dropped frames: ${dropped.map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  lines.push(alertsLine(status, style), healthLine(status, style));
  return lines.join('\n');
}

function clusterLine(status: StatusSnapshot, style: Style): string {
  const { cluster } = status;
  const service = cluster.service === 'running' ? style.good('running') : style.bad(cluster.service);
  const quorum = cluster.quorate ? style.good('quorate') : style.bad('no quorum');
  const verdict = { win: 'won', lose: 'lost', none: 'no decision' }[cluster.np.verdict];
  const at = cluster.np.at ? ` at ${clock(cluster.np.at)}` : '';
  return `cluster ${style.bold(cluster.name)} (as seen by ${status.node} at ${clock(status.at)}): service ${service}, ${quorum}; partition resolution: ${verdict}${at} (${cluster.np.reason})`;
}

function serverRows(status: StatusSnapshot, style: Style): Row[] {
  return status.servers.map((server) => {
    const up = server.state === 'up';
    const links = server.self ? 'this server' : server.links.map(describeLink).join(', ') || 'no links';
    return {
      problem: !up,
      cells: [server.name, withHealth(server.state, server.health), links],
      styles: [identity, up ? style.good : style.bad, identity],
    };
  });
}

/** `up, health 85`: the score its monitors give the server, when known (see docs/monitors.md). */
export function withHealth(state: string, health: number | null | undefined): string {
  return health === undefined || health === null ? state : `${state}, health ${health}`;
}

/** This server's end of each link, then the peer channel's interconnect per peer. */
function linkEndRows(status: StatusSnapshot, style: Style): Row[] {
  const rows: Row[] = (status.linkEnds ?? []).map((end) => {
    const { framesIn = 0, framesOut = 0, ...rest } = end.counters;
    const others = Object.entries(rest)
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `${name} ${count}`);
    const counters = [`in ${framesIn}`, `out ${framesOut}`, ...others].join(', ');
    const up = end.state === 'up';
    return {
      problem: !up,
      cells: [end.id, end.state, end.endpoint, counters + (end.detail ? ` (${end.detail})` : '')],
      styles: [identity, up ? style.good : style.bad],
    };
  });
  for (const channel of status.peerChannels ?? []) {
    const connected = channel.state === 'connected';
    rows.push({
      problem: !connected,
      cells: [
        `peer ${channel.peer}`,
        connected ? 'connected' : 'down',
        connected ? `channel via ${channel.via ?? 'unknown interconnect'}` : 'channel not connected',
      ],
      styles: [identity, connected ? style.good : style.bad],
    });
  }
  return rows;
}

function describeLink(link: LinkStatus): string {
  if (!link.up) {
    const silent = link.lastHeardMs === null ? 'never heard' : `silent ${seconds(link.lastHeardMs)}`;
    return `${link.id} down (${silent})`;
  }
  const rtt =
    link.rttMs === null ? '' : ` ${link.rttMs < 10 ? link.rttMs.toFixed(1) : Math.round(link.rttMs)}ms`;
  const loss = link.loss !== null && link.loss > 0 ? ` loss ${Math.round(link.loss * 100)}%` : '';
  return `${link.id} up${rtt}${loss}`;
}

function groupLines(status: StatusSnapshot, style: Style): string[] {
  const rows: Row[] = [];
  const resourceLines = new Map<number, string[]>();
  status.groups.forEach((group) => {
    const wanted = group.run ? '' : ' (stopped by operator)';
    const healthy = !group.run || group.state === 'online';
    const where = group.server ? `on ${group.server}` : 'nowhere';
    rows.push({
      problem: !healthy,
      cells: [group.name, `${group.state}${wanted}`, where, `policy ${group.policy.join(' > ')}`],
      styles: [identity, healthy ? (group.state === 'online' ? style.good : style.dim) : style.bad],
    });
    resourceLines.set(
      rows.length - 1,
      group.resources.map((resource) => {
        const mark = resource.state === 'failed' ? '!' : ' ';
        return `${mark}     ${resource.name} (${resource.type}): ${resource.state}`;
      }),
    );
  });
  return table(rows).flatMap((line, index) => [line, ...(resourceLines.get(index) ?? [])]);
}

function monitorRows(status: StatusSnapshot, style: Style): Row[] {
  return status.monitors.map((monitor) => {
    const { limits } = monitor;
    const ladder = `fails ${monitor.failures}/${limits.retries} · reactivate ${monitor.reactivations}/${limits.reactivate} · failover ${monitor.failovers}/${limits.failover} → ${limits.final}`;
    const base =
      monitor.suspended && monitor.state !== 'suspended' ? `${monitor.state} (suspended)` : monitor.state;
    const state = monitor.dummyFailure ? `${base} (dummy failure)` : base;
    const last = monitor.last
      ? `last ${monitor.last.ok ? 'ok' : 'failed'} ${clock(monitor.last.at)}${monitor.last.detail ? `: ${monitor.last.detail}` : ''}`
      : 'not checked yet';
    const stateStyle =
      monitor.state === 'error' ? style.bad : monitor.state === 'ok' ? style.good : style.warn;
    return {
      problem: monitor.state === 'error',
      cells: [monitor.name, monitor.type, state, ladder, last],
      styles: [identity, identity, stateStyle],
    };
  });
}

function alertsLine(status: StatusSnapshot, style: Style): string {
  const { unacknowledged, critical } = status.alerts;
  if (unacknowledged === 0) return 'alerts: none unacknowledged';
  const text = `alerts: ${unacknowledged} unacknowledged${critical > 0 ? ` (${critical} critical)` : ''}; see vigil alerts`;
  return critical > 0 ? style.bad(text) : style.warn(text);
}

function healthLine(status: StatusSnapshot, style: Style): string {
  const problems = healthProblems(status);
  return problems.length === 0
    ? `health: ${style.good('healthy')}`
    : `health: ${style.bad('degraded')}: ${problems.join('; ')}`;
}

/** Left-aligned columns; the styles apply after padding so escape codes do not upset the widths. */
function table(rows: Row[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.cells.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => {
    const cells = row.cells.map((cell, index) => {
      const padded = index === row.cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0);
      return (row.styles?.[index] ?? identity)(padded);
    });
    return `${row.problem ? '!' : ' '} ${cells.join('  ')}`.trimEnd();
  });
}

function identity(text: string): string {
  return text;
}

/** HH:MM:SS of an ISO time, in local time. */
export function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toTimeString().slice(0, 8);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
