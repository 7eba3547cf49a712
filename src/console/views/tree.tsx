// The cluster tree: cluster → servers (state, links, NP decision) → groups (state, server, policy)
// → resources; monitors with state, last result age and recovery ladder.
// A row is data (its parts), not elements: the shown rows are memoised on it, so an update re-renders
// only the rows whose text changed (an update typically changes a few of the hundreds of rows).
import { Box, Text, Transform, useIsScreenReaderEnabled } from 'ink';
import { memo } from 'react';
import { Line, Tok, age, useTheme, windowAround } from '../components.js';
import type { ClusterModel } from '../data/cluster-model.js';
import { asciiStandIn, restorer } from '../stand-in.js';
import { groupKind, monitorKind, resourceKind, serverKind } from '../status-kind.js';
import type { StatusKind, Token } from '../theme.js';

export type RowKind = 'cluster' | 'server' | 'group' | 'resource' | 'monitor';

/** A piece of a row: plain text, text in a theme token's colour, or a status mark (symbol + word). */
export type Part =
  string | { token: Token; text: string; bold?: boolean } | { mark: StatusKind; text: string };

export interface TreeRow {
  id: string;
  kind: RowKind;
  name: string;
  depth: number;
  /** What the row shows (built when asked: only the rows on screen are). */
  parts: () => Part[];
  /** Lines shown when the operator drills in (built when asked: only the selected row's are shown). */
  details: () => string[];
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
    parts: () => [
      { token: 'header', text: `cluster ${cluster.name} `, bold: true },
      {
        mark: cluster.service === 'running' ? 'ok' : cluster.service === 'suspended' ? 'suspended' : 'error',
        text: cluster.service,
      },
      '  ',
      { mark: cluster.quorate ? 'ok' : 'error', text: cluster.quorate ? 'quorate' : 'no quorum' },
      { token: 'muted', text: `  NP: ${np} (${cluster.np.reason})` },
    ],
    details: () => [
      `as seen by ${status.node} at ${status.at}`,
      `partition resolution: ${np}: ${cluster.np.reason}`,
    ],
  });
  rows.push(heading('servers'));
  for (const server of status.servers) {
    const reach = model.nodes.find((node) => node.name === server.name)?.connection;
    rows.push({
      id: `server:${server.name}`,
      kind: 'server',
      name: server.name,
      depth: 1,
      parts: () => {
        const links = server.self
          ? 'this node'
          : server.links
              .map(
                (link) =>
                  `${link.id} ${link.up ? `up${link.rttMs === null ? '' : ` ${link.rttMs.toFixed(1)}ms`}` : 'down'}`,
              )
              .join(', ');
        const parts: Part[] = [
          `${server.name.padEnd(10)} `,
          { mark: serverKind(server.state), text: server.state.padEnd(9) },
        ];
        if (typeof server.health === 'number') parts.push({ token: 'muted', text: ` ♥${server.health}` });
        parts.push({ token: 'muted', text: ` ${links || 'no links'}` });
        if (reach?.kind === 'unreachable')
          parts.push({ token: 'status.warning', text: '  · unreachable from this console' });
        return parts;
      },
      details: () => [
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
      parts: () => [
        `${group.name.padEnd(10)} `,
        {
          mark: groupKind(group.state, group.run),
          text: `${group.state}${group.run ? '' : ' (stopped by operator)'}`.padEnd(9),
        },
        ` on ${group.server ?? 'no server'}`,
        { token: 'muted', text: `  policy ${group.policy.join(' > ')}` },
      ],
      details: () => [
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
        parts: () => [
          `${resource.name.padEnd(12)} `,
          { mark: resourceKind(resource.state), text: resource.state },
          { token: 'muted', text: ` ${resource.type}` },
        ],
        details: () => [`resource ${resource.name} of ${group.name} (${resource.type}): ${resource.state}`],
      });
  }
  if (status.monitors.length > 0) rows.push(heading('monitors'));
  for (const monitor of status.monitors) {
    const { limits } = monitor;
    const ladder = () =>
      `reactivate ${monitor.reactivations}/${limits.reactivate} · failover ${monitor.failovers}/${limits.failover} → ${finalWords(limits.final)}`;
    const state = monitor.suspended && monitor.state !== 'suspended' ? 'suspended' : monitor.state;
    rows.push({
      id: `monitor:${monitor.name}`,
      kind: 'monitor',
      name: monitor.name,
      depth: 1,
      parts: () => {
        const last = monitor.last
          ? `${monitor.last.ok ? 'ok' : 'failed'} ${age(now - Date.parse(monitor.last.at))} ago`
          : 'not run yet';
        return [
          `${monitor.name.padEnd(12)} `,
          { mark: monitorKind(monitor.state, monitor.suspended), text: state.padEnd(9) },
          { token: 'muted', text: ` ${monitor.type} · last ${last} · ` },
          ladder(),
        ];
      },
      details: () => [
        `monitor ${monitor.name} (${monitor.type}): ${state}`,
        `failures ${monitor.failures}/${limits.retries}; ${ladder()}`,
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

const NO_DETAILS = (): string[] => [];

function heading(title: string): TreeRow {
  return {
    id: '',
    kind: 'cluster',
    name: title,
    depth: 0,
    parts: () => [{ token: 'header', text: title, bold: true }],
    details: NO_DETAILS,
  };
}

export function TreeView({
  rows,
  selected,
  height,
  width,
}: {
  rows: TreeRow[];
  selected: number;
  height: number;
  /** Columns a row has (undefined: unknown, rows are given to ink as they are). */
  width?: number;
}) {
  const shown = windowAround(rows, selected, Math.max(1, height));
  return (
    <Box flexDirection="column">
      {shown.items.map((row, index) => (
        <TreeLine
          key={`${row.id}:${row.name}:${index}`}
          depth={row.depth}
          parts={row.parts()}
          selected={shown.start + index === selected}
          width={width}
        />
      ))}
    </Box>
  );
}

interface TreeLineProps {
  depth: number;
  parts: Part[];
  selected: boolean;
  width: number | undefined;
}

/**
 * One row; re-rendered only when its text, colours or selection change (the theme comes by context).
 * A row that fits goes to ink as its ASCII stand-in (src/console/stand-in.ts: ink measures ASCII
 * fast) with a transform that puts the real characters back; one that does not fit, or has other
 * characters, goes as it is, and ink cuts it.
 */
const TreeLine = memo(function TreeLine({ depth, parts, selected, width }: TreeLineProps) {
  const theme = useTheme();
  // A screen reader gets ink's text without the transform: the row as it is.
  const reader = useIsScreenReaderEnabled();
  const indent = '  '.repeat(depth);
  const texts = parts.map((part) =>
    typeof part === 'string' ? part : 'mark' in part ? `${theme.symbols[part.mark]} ${part.text}` : part.text,
  );
  const text = indent + texts.join('');
  const ascii = !reader && width !== undefined && text.length <= width ? asciiStandIn(text) : undefined;
  // Each part's text as ink gets it: its stand-in, or the part itself. A mark is a coloured Text of
  // its symbol and word, as <Mark> draws it.
  let at = indent.length;
  const given = ascii === undefined ? texts : texts.map((part) => ascii.slice(at, (at += part.length)));
  const line = (
    <Line selected={selected}>
      {indent}
      {parts.map((part, index) =>
        typeof part === 'string' ? (
          given[index]
        ) : 'mark' in part ? (
          <Text key={index} color={theme.color(`status.${part.mark}`)}>
            {given[index]}
          </Text>
        ) : (
          <Tok key={index} token={part.token} bold={part.bold}>
            {given[index]}
          </Tok>
        ),
      )}
    </Line>
  );
  return ascii === undefined ? line : <Transform transform={restorer(text)}>{line}</Transform>;
}, sameLine);

function sameLine(a: TreeLineProps, b: TreeLineProps): boolean {
  return (
    a.depth === b.depth &&
    a.selected === b.selected &&
    a.width === b.width &&
    a.parts.length === b.parts.length &&
    a.parts.every((part, index) => samePart(part, b.parts[index] as Part))
  );
}

function samePart(a: Part, b: Part): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ('mark' in a) return 'mark' in b && a.mark === b.mark && a.text === b.text;
  return !('mark' in b) && a.token === b.token && a.text === b.text && a.bold === b.bold;
}
