// The cluster tree: cluster → servers (state, links, NP decision) → groups (state, server, policy)
// → resources; monitors with state, last result age and recovery ladder.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Line, Mark, Tok, age, windowAround } from '../components.js';
import type { ClusterModel } from '../data/cluster-model.js';
import { groupKind, monitorKind, resourceKind, serverKind } from '../status-kind.js';

export type RowKind = 'cluster' | 'server' | 'group' | 'resource' | 'monitor';

export interface TreeRow {
  id: string;
  kind: RowKind;
  name: string;
  depth: number;
  content: ReactNode;
  /** Lines shown when the operator drills in. */
  details: string[];
}

export function treeRows(model: ClusterModel, filter = ''): TreeRow[] {
  const status = model.view;
  if (!status) return [];
  const now = Date.parse(status.at);
  const rows: TreeRow[] = [];
  const { cluster } = status;
  const np = { win: 'won', lose: 'lost', none: 'no decision' }[cluster.np.verdict];
  rows.push({
    id: 'cluster',
    kind: 'cluster',
    name: cluster.name,
    depth: 0,
    content: (
      <Text>
        <Tok token="header" bold>{`cluster ${cluster.name} `}</Tok>
        <Mark
          kind={
            cluster.service === 'running' ? 'ok' : cluster.service === 'suspended' ? 'suspended' : 'error'
          }
          word={cluster.service}
        />
        {'  '}
        <Mark kind={cluster.quorate ? 'ok' : 'error'} word={cluster.quorate ? 'quorate' : 'no quorum'} />
        <Tok token="muted">{`  NP: ${np} (${cluster.np.reason})`}</Tok>
      </Text>
    ),
    details: [
      `as seen by ${status.node} at ${status.at}`,
      `partition resolution: ${np}: ${cluster.np.reason}`,
    ],
  });
  rows.push(heading('servers'));
  for (const server of status.servers) {
    const reach = model.nodes.find((node) => node.name === server.name)?.connection;
    const links = server.self
      ? 'this node'
      : server.links
          .map(
            (link) =>
              `${link.id} ${link.up ? `up${link.rttMs === null ? '' : ` ${link.rttMs.toFixed(1)}ms`}` : 'down'}`,
          )
          .join(', ');
    rows.push({
      id: `server:${server.name}`,
      kind: 'server',
      name: server.name,
      depth: 1,
      content: (
        <Text>
          {`${server.name.padEnd(10)} `}
          <Mark kind={serverKind(server.state)} word={server.state.padEnd(9)} />
          {typeof server.health === 'number' ? <Tok token="muted">{` ♥${server.health}`}</Tok> : null}
          <Tok token="muted">{` ${links || 'no links'}`}</Tok>
          {reach?.kind === 'unreachable' ? (
            <Tok token="status.warning">{'  · unreachable from this console'}</Tok>
          ) : null}
        </Text>
      ),
      details: [
        `server ${server.name}: ${server.state}${typeof server.health === 'number' ? `, health ${server.health}` : ''} (as the cluster sees it)`,
        reach
          ? `console connection: ${reach.kind}${reach.kind === 'unreachable' ? `: ${reach.reason}` : ''}`
          : 'console connection: not a node of this console',
        ...server.links.map(
          (link) =>
            `link ${link.id} (${link.kind}): ${link.up ? 'up' : 'down'}, rtt ${link.rttMs ?? '-'} ms, loss ${link.loss === null ? '-' : `${Math.round(link.loss * 100)}%`}, last heard ${link.lastHeardMs === null ? 'never' : `${age(link.lastHeardMs)} ago`}`,
        ),
      ],
    });
  }
  rows.push(heading('groups'));
  for (const group of status.groups) {
    rows.push({
      id: `group:${group.name}`,
      kind: 'group',
      name: group.name,
      depth: 1,
      content: (
        <Text>
          {`${group.name.padEnd(10)} `}
          <Mark
            kind={groupKind(group.state, group.run)}
            word={`${group.state}${group.run ? '' : ' (stopped by operator)'}`.padEnd(9)}
          />
          {` on ${group.server ?? 'no server'}`}
          <Tok token="muted">{`  policy ${group.policy.join(' > ')}`}</Tok>
        </Text>
      ),
      details: [
        `group ${group.name}: ${group.state} on ${group.server ?? 'no server'} (epoch ${group.epoch}, local ${group.local})`,
        `policy ${group.policy.join(' > ')}`,
        ...group.resources.map(
          (resource) => `resource ${resource.name} (${resource.type}): ${resource.state}`,
        ),
      ],
    });
    for (const resource of group.resources)
      rows.push({
        id: `resource:${group.name}/${resource.name}`,
        kind: 'resource',
        name: resource.name,
        depth: 2,
        content: (
          <Text>
            {`${resource.name.padEnd(12)} `}
            <Mark kind={resourceKind(resource.state)} word={resource.state} />
            <Tok token="muted">{` ${resource.type}`}</Tok>
          </Text>
        ),
        details: [`resource ${resource.name} of ${group.name} (${resource.type}): ${resource.state}`],
      });
  }
  if (status.monitors.length > 0) rows.push(heading('monitors'));
  for (const monitor of status.monitors) {
    const { limits } = monitor;
    const ladder = `reactivate ${monitor.reactivations}/${limits.reactivate} · failover ${monitor.failovers}/${limits.failover} → ${finalWords(limits.final)}`;
    const last = monitor.last
      ? `${monitor.last.ok ? 'ok' : 'failed'} ${age(now - Date.parse(monitor.last.at))} ago`
      : 'not run yet';
    const state = monitor.suspended && monitor.state !== 'suspended' ? 'suspended' : monitor.state;
    rows.push({
      id: `monitor:${monitor.name}`,
      kind: 'monitor',
      name: monitor.name,
      depth: 1,
      content: (
        <Text>
          {`${monitor.name.padEnd(12)} `}
          <Mark kind={monitorKind(monitor.state, monitor.suspended)} word={state.padEnd(9)} />
          <Tok token="muted">{` ${monitor.type} · last ${last} · `}</Tok>
          {ladder}
        </Text>
      ),
      details: [
        `monitor ${monitor.name} (${monitor.type}): ${state}`,
        `failures ${monitor.failures}/${limits.retries}; ${ladder}`,
        monitor.last
          ? `last result: ${monitor.last.ok ? 'ok' : 'failed'} at ${monitor.last.at}: ${monitor.last.detail || '-'}`
          : 'no result yet',
      ],
    });
  }
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return rows;
  return rows.filter(
    (row) => row.kind === 'cluster' || (row.id !== '' && row.name.toLowerCase().includes(wanted)),
  );
}

function finalWords(final: string): string {
  return final === 'none' ? 'no final action' : final.replace('-', ' ');
}

function heading(title: string): TreeRow {
  return {
    id: '',
    kind: 'cluster',
    name: title,
    depth: 0,
    content: (
      <Tok token="header" bold>
        {title}
      </Tok>
    ),
    details: [],
  };
}

export function TreeView({ rows, selected, height }: { rows: TreeRow[]; selected: number; height: number }) {
  const shown = windowAround(rows, selected, Math.max(1, height));
  return (
    <Box flexDirection="column">
      {shown.items.map((row, index) => (
        <Line key={`${row.id}:${row.name}:${index}`} selected={shown.start + index === selected}>
          {'  '.repeat(row.depth)}
          {row.content}
        </Line>
      ))}
    </Box>
  );
}
