// Two-server lab clusters with more heartbeat links than the LAN: a COM link over a socat
// pseudo-terminal pair (its paths are files, so both namespaces reach them) and, optionally, a DISK
// link on a shared file. Used by the LAN-cut and all-links-cut scenarios.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPair } from '../process/transport/socat.js';
import { LabCluster, waitFor } from './lab.js';

export interface TwoServerLab {
  lab: LabCluster;
  serial: SerialPair;
  diskFile?: string;
}

export async function startTwoServerLab(options: {
  disk: boolean;
  partition?: Record<string, unknown>;
  witness?: boolean;
}): Promise<TwoServerLab> {
  // The config names the serial pair's paths, in the lab's directory; socat creates them after.
  const lab = new LabCluster({
    servers: ['s1', 's2'],
    partition: options.partition,
    witness: options.witness,
    serverExtra: (dir) => ({
      s1: { com: join(dir, 'ttyS1'), ...(options.disk ? { disk: join(dir, 'shared-disk') } : {}) },
      s2: { com: join(dir, 'ttyS2'), ...(options.disk ? { disk: join(dir, 'shared-disk') } : {}) },
    }),
  });
  const serial = new SerialPair(join(lab.dir, 'ttyS1'), join(lab.dir, 'ttyS2'));
  const diskFile = options.disk ? join(lab.dir, 'shared-disk') : undefined;
  try {
    await serial.start();
    if (diskFile) writeFileSync(diskFile, '');
  } catch (error) {
    await lab.destroy();
    throw error;
  }
  return { lab, serial, diskFile };
}

/** Waits until each of the two servers reports the given state of the other's links. */
export async function linksAre(
  lab: LabCluster,
  want: Record<string, boolean>,
  deadlineMs: number,
): Promise<void> {
  await waitFor(
    `links ${JSON.stringify(want)} as both servers see them`,
    async () => {
      for (const [self, peer] of [
        ['s1', 's2'],
        ['s2', 's1'],
      ] as const) {
        const status = await lab.status(self);
        const links = status.servers.find((s) => s.name === peer)?.links ?? [];
        for (const [id, up] of Object.entries(want))
          if (links.find((l) => l.id === id)?.up !== up) return false;
      }
      return true;
    },
    deadlineMs,
    200,
  );
}

/**
 * Checks, every 200 ms for `forMs`, that `holder` keeps web (both servers' view, the floating IP and
 * the web service on it alone). Throws at the first moment it does not.
 */
export async function holdsThroughout(lab: LabCluster, holder: string, forMs: number): Promise<void> {
  const other = holder === 's1' ? 's2' : 's1';
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const mine = await lab.group(holder);
    if (mine?.state !== 'online' || mine.server !== holder)
      throw new Error(`${holder} no longer reports web online on itself: ${JSON.stringify(mine)}`);
    if (!lab.holdsFloatingIp(holder)) throw new Error(`${holder} lost the floating IP`);
    if (lab.holdsFloatingIp(other)) throw new Error(`${other} took the floating IP too`);
    if (lab.webServicePids(other).length > 0) throw new Error(`${other} started the web service too`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
