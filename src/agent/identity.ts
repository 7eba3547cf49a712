// Which server of the cluster this agent is: given with --node, or the one whose LAN address is
// configured on this machine.
import { networkInterfaces } from 'node:os';
import type { ClusterModel } from '../engine/model.js';

export function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) addresses.add(entry.address);
  }
  return addresses;
}

export function findIdentity(
  model: ClusterModel,
  given: string | undefined,
  local = localAddresses(),
): string {
  const names = model.servers.map((s) => s.name);
  if (given !== undefined) {
    if (!names.includes(given))
      throw new Error(`--node ${given}: no such server in the cluster (servers: ${names.join(', ')})`);
    return given;
  }
  const matches = model.servers.filter((s) =>
    s.links.some((l) => l.address !== undefined && local.has(l.address)),
  );
  if (matches.length === 1) return matches[0].name;
  if (matches.length === 0) {
    throw new Error(
      `none of this machine's addresses is a LAN address of a server (${names.join(', ')}); pass --node NAME`,
    );
  }
  throw new Error(
    `this machine has the addresses of several servers (${matches.map((s) => s.name).join(', ')}); pass --node NAME`,
  );
}
