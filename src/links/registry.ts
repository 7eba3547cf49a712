// Builds this server's heartbeat links from the cluster model. LAN links exist today; a COM or DISK
// link in the config is reported as a warning (the agent logs it and runs on LAN alone) rather
// than stopping the agent.
import { isIPv6 } from 'node:net';
import type { Logger } from '../agent/logger.js';
import type { ClusterModel, LinkModel } from '../engine/model.js';
import { LanLink, type LanPeer } from './lan.js';

export interface CreateLinksOptions {
  /** cluster.heartbeatPort */
  port: number;
  /** deriveKey(clusterKey, model.name, 'heartbeat') */
  key: Buffer;
  logger: Logger;
}

export interface CreatedLinks {
  /** Not yet bound: call start() on each. */
  links: LanLink[];
  /** Configured links this build cannot run, and peers left off a link; each names what to change. */
  warnings: string[];
}

const NOT_YET = 'it comes with the split-brain work';

function unimplemented(server: string, link: LinkModel): string {
  return (
    `server ${server}: link kind ${link.kind} is not implemented yet (${NOT_YET}); ` +
    `heartbeats run on the LAN links only. Remove ${link.kind}: from server ${server} to silence this warning`
  );
}

export function createLinks(model: ClusterModel, self: string, options: CreateLinksOptions): CreatedLinks {
  const me = model.servers.find((server) => server.name === self);
  if (!me) throw new Error(`server ${self} is not in cluster ${model.name}`);
  const links: LanLink[] = [];
  const warnings: string[] = [];
  for (const link of me.links) {
    if (link.kind !== 'lan') {
      warnings.push(unimplemented(self, link));
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
