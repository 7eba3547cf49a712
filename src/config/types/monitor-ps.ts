// ps: enough (and not too many) processes matching a name or a command-line pattern are running.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const psMonitor = {
  description:
    'Counts the processes whose name (or command line) matches; healthy when the count is within the limits.',
  params: {
    process: z
      .string()
      .min(1)
      .max(15)
      .optional()
      .describe('Exact process name as in /proc/PID/comm (at most 15 characters). Give process or pattern.'),
    pattern: formatted('vigil-regexp')
      .optional()
      .describe('Regular expression matched against the full command line. Give process or pattern.'),
    min: z.number().int().min(0).default(1).describe('Fewest matching processes that count as healthy.'),
    max: z.number().int().min(1).optional().describe('Most matching processes that count as healthy.'),
  },
} satisfies MonitorTypeDefinition;
