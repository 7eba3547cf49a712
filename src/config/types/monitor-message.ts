// message: an outside tool reports the result (`vigil report MONITOR error|ok TEXT`).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const messageMonitor = {
  description:
    'Takes its result from reports sent by outside tools (vigil report, or the control API monitor.report).',
  params: {
    expire: formatted('vigil-duration')
      .optional()
      .describe('A report older than this (or none this long after start) no longer counts.'),
    whenExpired: z
      .enum(['error', 'warning'])
      .default('error')
      .describe('What an expired or missing report is: error, or a warning (ok for recovery, but alerted).'),
  },
} satisfies MonitorTypeDefinition;
