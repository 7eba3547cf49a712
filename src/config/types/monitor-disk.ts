// disk: a disk (block device or file) can be read, or written and read back.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const diskMonitor = {
  description:
    'Reads a block device or file (or writes a file and reads it back) in a separate process; healthy when that finishes in time.',
  params: {
    path: formatted('vigil-path').describe(
      'Block device or file to read; with mode write, a file on the filesystem to write (created if missing).',
    ),
    mode: z
      .enum(['read', 'write'])
      .default('read')
      .describe('read: read size bytes; write: write size bytes (synchronously) and read them back.'),
    size: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024)
      .default(4096)
      .describe('Bytes to read or write, at most 1 MiB.'),
  },
} satisfies MonitorTypeDefinition;
