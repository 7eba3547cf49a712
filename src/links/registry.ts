// Builds this server's heartbeat links from the cluster model: one LAN link per interconnect, the
// COM link (serial line to the one other server that has com) and the DISK link. A link that
// cannot be built is reported as a warning naming what to change, and the agent runs without it.
import { isIPv6 } from 'node:net';
import type { Logger } from '../agent/logger.js';
import type { ClusterModel, LinkModel } from '../engine/model.js';
import { ComLink, DEFAULT_COM_BAUD_RATE } from './com.js';
import { DiskLink } from './disk.js';
import { LanLink, type LanPeer } from './lan.js';
import type { HeartbeatLink } from './link.js';

export interface CreateLinksOptions {
  /** cluster.heartbeatPort */
  port: number;
  /** deriveKey(clusterKey, model.name, 'heartbeat') */
  key: Buffer;
  logger: Logger;
  /** cluster.comBaudRate */
  comBaudRate?: number;
}

export interface CreatedLinks {
  /** Not yet bound: call start() on each. */
  links: HeartbeatLink[];
  /** Configured links this build cannot run, and peers left off a link; each names what to change. */
  warnings: string[];
}

export function createLinks(model: ClusterModel, self: string, options: CreateLinksOptions): CreatedLinks {
  const me = model.servers.find((server) => server.name === self);
  if (!me) throw new Error(`server ${self} is not in cluster ${model.name}`);
  const links: HeartbeatLink[] = [];
  const warnings: string[] = [];
  for (const link of me.links) {
    if (link.kind === 'com') {
      const com = comLink(model, self, link, options, warnings);
      if (com) links.push(com);
      continue;
    }
    if (link.kind === 'disk') {
      if (!link.device) continue;
      links.push(
        new DiskLink({
          device: link.device,
          self,
          servers: model.servers.map((server) => server.name),
          cluster: model.name,
          key: options.key,
          heartbeatIntervalMs: model.timing.heartbeatIntervalMs,
          logger: options.logger,
        }),
      );
      continue;
    }
    if (!link.address) {
      warnings.push(`server ${self}: link ${link.id} has no address; it is left out`);
      continue;
    }
    const peers: LanPeer[] = [];
    for (const server of model.servers) {
      if (server.name === self) continue;
      const theirs = server.links.find((candidate) => candidate.id === link.id);
      if (!theirs?.address) continue; // The peer has fewer interconnects: it is simply not on this one.
      if (isIPv6(theirs.address) !== isIPv6(link.address)) {
        warnings.push(
          `link ${link.id}: server ${server.name} (${theirs.address}) and server ${self} (${link.address}) use different IP versions; ${server.name} is left off ${link.id}`,
        );
        continue;
      }
      peers.push({ name: server.name, address: theirs.address });
    }
    links.push(
      new LanLink({
        id: link.id,
        bindAddress: link.address,
        port: options.port,
        self,
        cluster: model.name,
        peers,
        key: options.key,
        logger: options.logger,
      }),
    );
  }
  return { links, warnings };
}

/** The serial line pairs this server with the one other server that has com. */
function comLink(
  model: ClusterModel,
  self: string,
  link: LinkModel,
  options: CreateLinksOptions,
  warnings: string[],
): ComLink | null {
  const others = model.servers.filter(
    (server) => server.name !== self && server.links.some((candidate) => candidate.kind === 'com'),
  );
  if (others.length !== 1 || !link.device) {
    warnings.push(
      others.length === 0
        ? `server ${self}: no other server has com, so the serial line has no far end; the COM link is left out`
        : `server ${self}: ${others.length + 1} servers have com, but a serial line joins exactly two; the COM link is left out (vigil config check reports this as an error)`,
    );
    return null;
  }
  return new ComLink({
    device: link.device,
    baudRate: options.comBaudRate ?? DEFAULT_COM_BAUD_RATE,
    self,
    peer: (others[0] as { name: string }).name,
    cluster: model.name,
    key: options.key,
    heartbeatIntervalMs: model.timing.heartbeatIntervalMs,
    logger: options.logger,
  });
}
