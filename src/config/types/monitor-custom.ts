// custom: any script; exit status 0 means healthy (or, long-running, it keeps running).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const customMonitor = {
  description:
    'Runs a script; exit status 0 means healthy, anything else (or running past the timeout) is a failed check.',
  params: {
    script: formatted('vigil-command').describe('Command line or script path to run at every check.'),
    args: z.array(z.string()).optional().describe('Arguments passed to the script.'),
    longRunning: z
      .boolean()
      .default(false)
      .describe('true: start the script once; the monitor fails when it exits.'),
  },
} satisfies MonitorTypeDefinition;
