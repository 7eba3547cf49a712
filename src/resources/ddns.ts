// ddns: the group's DNS name points at the active server. Records are changed with a dynamic update
// (nsupdate, signed with a TSIG key read from a file by nsupdate itself: the agent never reads or logs
// it) and checked with dig against the same DNS server. See docs/resources.md.
import { isIP } from 'node:net';
import type { ResourceDriver } from './driver.js';
import { describeToolFailure } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface DdnsParams {
  server: string;
  port: number;
  name: string;
  ttl: number;
  keyFile: string;
  address: string;
  /** One address for every server (e.g. a floating IP): the record does not tell which server set it. */
  shared: boolean;
  /** A for IPv4, AAAA for IPv6. */
  rrType: 'A' | 'AAAA';
}

export function createDdnsDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<DdnsParams>(
    {
      readParams(params, ctx) {
        const reader = new ParamReader('ddns', params);
        const { address, shared } = addressOf(params.address, ctx.server);
        const family = isIP(address);
        if (family === 0) throw new Error(`ddns address "${address}" is not an IP address`);
        return {
          server: reader.string('server'),
          port: reader.integer('port', 53),
          name: reader.string('dnsName'),
          ttl: reader.integer('ttl', 60),
          keyFile: reader.string('keyFile'),
          address,
          shared,
          rrType: family === 4 ? 'A' : 'AAAA',
        };
      },

      async start(s, p) {
        // Replace whatever the name pointed at (another server's address after a failover) by ours.
        const sent = await update(s, p, [
          `update delete ${p.name} ${p.rrType}`,
          `update add ${p.name} ${p.ttl} ${p.rrType} ${p.address}`,
        ]);
        if (!sent.ok) return failed(`could not register ${p.name} -> ${p.address}: ${sent.detail}`);
        const answer = await lookup(s, p);
        if (typeof answer === 'string')
          return failed(`${p.name} was updated but could not be checked: ${answer}`);
        if (!answer.includes(p.address))
          return failed(
            `${p.name} was updated but ${p.server} answers ${answer.join(', ') || 'nothing'} instead of ${p.address}`,
          );
        return { ok: true, detail: `${p.name} -> ${p.address} registered on ${p.server}` };
      },

      // Only our own record goes: a late stop here must not remove the address the new server registered.
      async stop(s, p) {
        const sent = await update(s, p, [`update delete ${p.name} ${p.rrType} ${p.address}`]);
        if (!sent.ok) return failed(`could not remove ${p.name} -> ${p.address}: ${sent.detail}`);
        return { ok: true, detail: `${p.name} -> ${p.address} removed from ${p.server}` };
      },

      async probe(s, p) {
        const answer = await lookup(s, p);
        if (typeof answer === 'string') return 'unknown';
        if (!answer.includes(p.address)) return 'offline';
        // With one address for all servers, the record may have been set by another server: only
        // a per-server address says that this server is the one registered.
        return p.shared ? 'unknown' : 'online';
      },
      // Fencing has nothing to kill here: the next server's start replaces the record.
    },
    options,
  );
}

async function update(
  s: ToolSession,
  p: DdnsParams,
  lines: string[],
): Promise<{ ok: boolean; detail: string }> {
  const script = [`server ${p.server} ${p.port}`, ...lines, 'send', ''].join('\n');
  const result = await s.run(['nsupdate', '-k', p.keyFile], { input: script });
  if (result.ok) return { ok: true, detail: '' };
  return {
    ok: false,
    detail:
      `${describeToolFailure(result)}. Check that ${p.server} allows updates of ${p.name} with the key in ${p.keyFile} ` +
      `(update-policy / allow-update) and that the key file is readable by the agent`,
  };
}

/** The addresses the DNS server gives for the name, or why it could not be asked. */
async function lookup(s: ToolSession, p: DdnsParams): Promise<string[] | string> {
  const result = await s.run(['dig', '+short', '-p', String(p.port), `@${p.server}`, p.name, p.rrType]);
  if (!result.ok) return describeToolFailure(result);
  // +short may list a CNAME chain before the addresses.
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => isIP(line) !== 0);
}

/** This server's address: `address` is one IP for every server, or a mapping of server name to IP. */
function addressOf(value: unknown, server: string): { address: string; shared: boolean } {
  if (typeof value === 'string') return { address: value, shared: true };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const mine = (value as Record<string, unknown>)[server];
    if (typeof mine !== 'string')
      throw new Error(
        `ddns address has no entry for this server (${server}): add "${server}: ITS-IP" under address`,
      );
    return { address: mine, shared: false };
  }
  throw new Error('ddns address is neither an IP address nor a mapping of server name to IP address');
}
