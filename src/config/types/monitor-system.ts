// system: CPU, memory, swap, load, disk space and named processes against warning and error limits,
// with a trend that warns before a filesystem fills.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

const limits = (unit: string) =>
  z
    .strictObject({
      warning: z.number().min(0).optional().describe(`Warning above this (${unit}).`),
      error: z.number().min(0).optional().describe(`Error above this (${unit}).`),
    })
    .optional();

export const systemMonitor = {
  description:
    'Checks CPU, memory, swap, load, disk space and named processes against warning and error limits, and warns when a filesystem is about to fill.',
  params: {
    cpu: limits('percent of all CPUs, over the time since the previous check').describe(
      'Limits on CPU use, percent of all CPUs.',
    ),
    memory: limits('percent of memory in use').describe(
      'Limits on memory use (total minus available), percent.',
    ),
    swap: limits('percent of swap in use').describe('Limits on swap use, percent.'),
    load: limits('1-minute load average').describe('Limits on the 1-minute load average.'),
    disks: z
      .array(
        z.strictObject({
          path: formatted('vigil-path').describe('A path on the filesystem to watch.'),
          warning: z.number().min(0).max(100).optional().describe('Warning above this percent used.'),
          error: z.number().min(0).max(100).optional().describe('Error above this percent used.'),
          fullWithin: formatted('vigil-duration')
            .optional()
            .describe('Warning when the trend says the filesystem fills within this time.'),
        }),
      )
      .optional()
      .describe('Filesystems whose space to watch.'),
    processes: z
      .array(
        z.strictObject({
          name: z
            .string()
            .min(1)
            .max(15)
            .describe('Process name as in /proc/PID/comm; all such processes add up.'),
          cpu: limits('percent of one CPU').describe('Limits on their CPU use, percent of one CPU.'),
          memoryMb: limits('MiB resident').describe('Limits on their resident memory, MiB.'),
        }),
      )
      .optional()
      .describe('Processes (by name) whose CPU and memory to watch.'),
    history: z
      .number()
      .int()
      .min(2)
      .max(10_000)
      .default(60)
      .describe('Checks kept for the disk-space trend.'),
  },
} satisfies MonitorTypeDefinition;
