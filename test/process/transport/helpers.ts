// Shared by the transport process tests: private loopback addresses and ports per test file,
// waiting for a condition with a deadline, and a small cluster model.
import { randomInt } from 'node:crypto';
import type { ClusterModel } from '../../../src/engine/model.js';

/**
 * Addresses 127.X.Y.1, .2, ... with X and Y random: two test files running at once (even with the
 * same port) almost never share an address. All of 127/8 is loopback on Linux.
 */
export function loopbackAddresses(count: number): string[] {
  const x = randomInt(10, 250);
  const y = randomInt(1, 250);
  return Array.from({ length: count }, (_, index) => `127.${x}.${y}.${index + 1}`);
}

export function randomPort(): number {
  return randomInt(20_000, 60_000);
}

/** Polls `condition` every `pollMs` until it holds, or throws with `what` once `timeoutMs` has passed. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 5000,
  pollMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A cluster of the named servers, each with the given LAN addresses (one array per server). */
export function clusterModel(name: string, servers: [string, string[]][]): ClusterModel {
  return {
    name,
    timing: {
      heartbeatIntervalMs: 500,
      heartbeatTimeoutMs: 2000,
      npDeadlineMs: 1000,
      fenceDeadlineMs: 1000,
      takeoverDelayMs: 4500,
    },
    servers: servers.map(([server, addresses]) => ({
      name: server,
      links: addresses.map((address, rank) => ({ id: `lan${rank}`, kind: 'lan' as const, address })),
    })),
    partition: { methods: [{ kind: 'majority' }], action: 'stop-service' },
    groups: [],
    monitors: [],
  };
}
