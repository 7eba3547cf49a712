// disk: a filesystem on a shared block device, checked and mounted on the server that runs the group.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const diskResource = {
  description:
    'A filesystem on a shared block device: optionally checked (fsck), mounted on start, its users killed and unmounted on stop.',
  params: {
    device: formatted('vigil-path').describe('Block device holding the filesystem, e.g. /dev/sdb1.'),
    mountPoint: formatted('vigil-path').describe('Directory to mount it on (created when missing).'),
    fsType: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a filesystem type such as ext4 or xfs')
      .describe('Filesystem type passed to mount -t and fsck -t, e.g. ext4.'),
    options: z
      .string()
      .regex(/^[^\s]+$/, 'comma-separated mount options without spaces')
      .optional()
      .describe('Mount options passed to mount -o, e.g. noatime,nodev.'),
    fsck: z
      .enum(['never', 'auto', 'always'])
      .default('auto')
      .describe(
        'Check the filesystem before mounting: never; auto (fsck -p: the checker skips a clean filesystem); always (fsck -p -f: full check).',
      ),
    killUsers: z
      .enum(['none', 'term', 'kill'])
      .default('kill')
      .describe(
        'On stop, what to do with processes still using the filesystem: none; term (SIGTERM, then SIGKILL if still busy); kill (SIGKILL, fuser -km).',
      ),
    umountRetries: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe('How many times stop tries umount (killing users again before each try) before it fails.'),
  },
} satisfies ResourceTypeDefinition;
