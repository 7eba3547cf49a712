// Heartbeat links: an interconnect address belongs to one server, and a link needs both ends.

import { error, warning, type Finding } from './problem.js';
import { DEFAULTS, defaultMs } from './defaults.js';
import { count, durationMs, items, section, text, texts, type RawItem } from './raw.js';

export function checkLinks(data: unknown): Finding[] {
  const servers = items(data, 'servers');
  return [
    ...duplicateAddresses(servers),
    ...unevenLan(servers),
    ...loneLink(servers, 'com', 'a serial line'),
    ...crowdedSerialLine(servers),
    ...slowSerialLine(data, servers),
    ...loneLink(servers, 'disk', 'a shared disk'),
  ];
}

function duplicateAddresses(servers: RawItem[]): Finding[] {
  const owner = new Map<string, string>();
  const findings: Finding[] = [];
  for (const server of servers) {
    for (const { index, value } of texts(server.value, 'lan')) {
      const first = owner.get(value);
      if (first === undefined) owner.set(value, `${label(server)} (lan${index})`);
      else {
        findings.push(
          error(
            ['servers', server.index, 'lan', index],
            `address ${value} is already used by ${first}`,
            'each server needs its own address on every interconnect',
          ),
        );
      }
    }
  }
  return findings;
}

/** Link lan<n> joins the n-th address of every server; a server without one is not on that interconnect. */
function unevenLan(servers: RawItem[]): Finding[] {
  const counts = servers.map((server) => (Array.isArray(server.value.lan) ? server.value.lan.length : 0));
  const most = Math.max(0, ...counts);
  const widest = servers[counts.indexOf(most)];
  return servers.flatMap((server, i) => {
    const have = counts[i] as number;
    if (have === 0 || have === most || widest === undefined) return [];
    return [
      warning(
        ['servers', server.index, 'lan'],
        `${label(server)} has ${have} LAN address${have === 1 ? '' : 'es'} but ${label(widest)} has ${most}: link lan${have} has no end here`,
        'give every server one address on each interconnect, in the same order',
      ),
    ];
  });
}

function loneLink(servers: RawItem[], key: 'com' | 'disk', what: string): Finding[] {
  const using = servers.filter((server) => server.value[key] !== undefined);
  if (servers.length < 2 || using.length !== 1) return [];
  const [only] = using as [RawItem];
  return [
    warning(
      ['servers', only.index, key],
      `only ${label(only)} has a ${key} link; ${what} needs another server at the other end`,
      `add ${key} to the server at the other end, or remove it`,
    ),
  ];
}

/** A serial line is point to point: the COM link pairs the two servers that have com, never more. */
function crowdedSerialLine(servers: RawItem[]): Finding[] {
  const using = servers.filter((server) => server.value.com !== undefined);
  if (using.length <= 2) return [];
  const names = using.map(label).join(', ');
  return using
    .slice(2)
    .map((server) =>
      error(
        ['servers', server.index, 'com'],
        `${using.length} servers have a com link (${names}), but a serial line joins exactly two servers`,
        'keep com on the two servers the cable connects and remove it from the others',
      ),
    );
}

/** Bytes of a COM heartbeat frame: measured as about 340 with no groups, 60 more per group. */
const COM_FRAME_BASE_BYTES = 340;
const COM_FRAME_GROUP_BYTES = 60;

/** A heartbeat must cross the line in half the interval (the other half is the peer's frame). */
function slowSerialLine(data: unknown, servers: RawItem[]): Finding[] {
  if (servers.filter((server) => server.value.com !== undefined).length !== 2) return [];
  const cluster = section(data, 'cluster');
  const baud = count(cluster, 'comBaudRate') ?? DEFAULTS.comBaudRate;
  const intervalMs = durationMs(
    section(cluster, 'timing'),
    'heartbeatInterval',
    defaultMs('heartbeatInterval'),
  );
  if (intervalMs === undefined || baud <= 0) return [];
  const bytes = COM_FRAME_BASE_BYTES + COM_FRAME_GROUP_BYTES * items(data, 'groups').length;
  const needMs = Math.round((bytes * 10 * 1000) / baud);
  if (needMs <= intervalMs / 2) return [];
  return [
    warning(
      ['cluster', 'comBaudRate'],
      `a COM heartbeat of about ${bytes} bytes takes about ${needMs} ms at ${baud} baud, over half the ${intervalMs} ms heartbeat interval; such heartbeats are not sent and the COM link stays down`,
      'raise cluster.comBaudRate on both servers (115200 is common), or lengthen timing.heartbeatInterval',
    ),
  ];
}

function label(server: RawItem): string {
  const name = text(server.value, 'name');
  return name ? `server "${name}"` : `servers[${server.index}]`;
}
