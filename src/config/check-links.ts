// Heartbeat links: an interconnect address belongs to one server, and a link needs both ends.

import { error, warning, type Finding } from './problem.js';
import { items, text, texts, type RawItem } from './raw.js';

export function checkLinks(data: unknown): Finding[] {
  const servers = items(data, 'servers');
  return [
    ...duplicateAddresses(servers),
    ...unevenLan(servers),
    ...loneLink(servers, 'com', 'a serial line'),
    ...crowdedSerialLine(servers),
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

function label(server: RawItem): string {
  const name = text(server.value, 'name');
  return name ? `server "${name}"` : `servers[${server.index}]`;
}
