// nas: an NFS export or a CIFS share mounted on the active server.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const nasResource = {
  description: 'An NFS export or CIFS share, mounted on the server that runs the group.',
  params: {
    share: z
      .string()
      .regex(/^([^/\s]+:\/\S*|\/\/[^/\s]+\/\S+)$/)
      .describe('server:/export for NFS or //server/share for CIFS.'),
    mountPoint: formatted('vigil-path').describe('Directory to mount it on; it must exist.'),
    fsType: z
      .enum(['nfs', 'nfs4', 'cifs'])
      .optional()
      .describe('File system type for mount -t; default: cifs for //server/share, nfs otherwise.'),
    options: z
      .string()
      .regex(/^[^\s]+$/)
      .optional()
      .describe('Mount options, comma-separated (mount -o), without any password.'),
    credentials: formatted('vigil-path')
      .optional()
      .describe('CIFS only: file with username= and password= lines (mode 0600), passed as credentials=.'),
    lazyUnmount: z
      .boolean()
      .default(false)
      .describe('Stop unmounts with umount -l (detach now, clean up when no longer busy).'),
    forceUnmount: z
      .boolean()
      .default(false)
      .describe('Stop unmounts with umount -f (for an unreachable NFS server).'),
  },
} satisfies ResourceTypeDefinition;
