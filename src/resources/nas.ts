// nas: an NFS export (server:/export) or a CIFS share (//server/share) mounted on the active server.
// Whether it is mounted comes from /proc/self/mountinfo. A CIFS password lives in a credentials file
// whose path is passed to mount; the agent never reads it. See docs/resources.md.
import type { ResourceDriver } from './driver.js';
import { mountedAt, type MountEntry } from './mountinfo.js';
import { describeToolFailure } from './tool.js';
import { createToolDriver, failed, ParamReader, type ToolDriverOptions } from './tool-driver.js';

interface NasParams {
  share: string;
  mountPoint: string;
  fsType: 'nfs' | 'nfs4' | 'cifs';
  options: string[];
  lazyUnmount: boolean;
  forceUnmount: boolean;
}

export interface NasDriverOptions extends ToolDriverOptions {
  /** Where to read the mount table (tests give a file of their own). */
  mountinfoPath?: string;
}

const NFS_SHARE = /^[^/\s]+:\/\S*$/;
const CIFS_SHARE = /^\/\/[^/\s]+\/\S+$/;

export function readNasParams(params: Record<string, unknown>): NasParams {
  const reader = new ParamReader('nas', params);
  const share = reader.string('share');
  const cifs = CIFS_SHARE.test(share);
  if (!cifs && !NFS_SHARE.test(share))
    throw new Error(`nas share "${share}" is neither server:/export (NFS) nor //server/share (CIFS)`);
  const fsType = reader.oneOf('fsType', ['nfs', 'nfs4', 'cifs'] as const, cifs ? 'cifs' : 'nfs');
  if ((fsType === 'cifs') !== cifs)
    throw new Error(
      `nas share "${share}" does not fit fsType ${fsType}: NFS is server:/export, CIFS //server/share`,
    );
  const options = (reader.optionalString('options') ?? '').split(',').filter((option) => option !== '');
  if (options.some((option) => /^pass(word)?=/i.test(option)))
    throw new Error(
      'nas options must not contain a password: put it in a credentials file (credentials key)',
    );
  const credentials = reader.optionalString('credentials');
  if (credentials !== undefined) {
    if (fsType !== 'cifs') throw new Error('nas credentials are for CIFS shares only');
    options.push(`credentials=${credentials}`);
  }
  return {
    share,
    mountPoint: reader.string('mountPoint'),
    fsType,
    options,
    lazyUnmount: reader.boolean('lazyUnmount', false),
    forceUnmount: reader.boolean('forceUnmount', false),
  };
}

export function createNasDriver(options: NasDriverOptions = {}): ResourceDriver {
  const mounted = (p: NasParams) => mountedAt(p.mountPoint, options.mountinfoPath);
  return createToolDriver<NasParams>(
    {
      readParams: readNasParams,

      async start(s, p) {
        const before = mounted(p);
        if (before !== undefined) {
          if (isOurs(before, p))
            return { ok: true, detail: `${p.share} was already mounted on ${p.mountPoint}` };
          return failed(
            `${p.mountPoint} already has ${before.source} (${before.fsType}) mounted on it; unmount it first`,
          );
        }
        const argv = [
          'mount',
          '-t',
          p.fsType,
          ...(p.options.length > 0 ? ['-o', p.options.join(',')] : []),
          p.share,
          p.mountPoint,
        ];
        const result = await s.run(argv);
        if (!result.ok)
          return failed(
            `could not mount ${p.share} on ${p.mountPoint}: ${describeToolFailure(result)}. ` +
              `Check that the server is reachable, that it exports the share to this host, and that ${p.mountPoint} exists`,
          );
        const after = mounted(p);
        if (after === undefined || !isOurs(after, p))
          return failed(
            `mount reported success but ${p.mountPoint} does not show ${p.share} in /proc/self/mountinfo`,
          );
        return { ok: true, detail: `${p.share} is mounted on ${p.mountPoint}` };
      },

      async stop(s, p) {
        const before = mounted(p);
        if (before === undefined) return { ok: true, detail: `${p.mountPoint} was not mounted` };
        if (!isOurs(before, p))
          return failed(
            `${p.mountPoint} has ${before.source} (${before.fsType}) mounted, not ${p.share}: not unmounting it`,
          );
        const flags = [...(p.lazyUnmount ? ['-l'] : []), ...(p.forceUnmount ? ['-f'] : [])];
        const result = await s.run(['umount', ...flags, p.mountPoint]);
        if (!result.ok)
          return failed(
            `could not unmount ${p.mountPoint}: ${describeToolFailure(result)}. ` +
              `Check what still uses it (fuser -vm ${p.mountPoint}); lazyUnmount or forceUnmount let the stop go through`,
          );
        if (mounted(p) !== undefined)
          return failed(`umount reported success but ${p.mountPoint} is still mounted`);
        return { ok: true, detail: `${p.mountPoint} is unmounted` };
      },

      async probe(_s, p) {
        const entry = mounted(p);
        if (entry === undefined) return 'offline';
        return isOurs(entry, p) ? 'online' : 'unknown';
      },

      // Fencing: detach at once; a forced lazy unmount does not wait for a hung server or busy files.
      async kill(s, p) {
        if (mounted(p) !== undefined) await s.run(['umount', '-f', '-l', p.mountPoint]);
      },
    },
    options,
  );
}

function isOurs(entry: MountEntry, p: NasParams): boolean {
  const family = p.fsType === 'cifs' ? /^(cifs|smb3)$/ : /^nfs4?$/;
  return family.test(entry.fsType) && entry.source.replace(/\/+$/, '') === p.share.replace(/\/+$/, '');
}
