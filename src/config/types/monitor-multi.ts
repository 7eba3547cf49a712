// multi: several monitors together; in error when enough of them are.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const multiMonitor = {
  description: 'Combines other monitors; in error when at least atLeast of them are in error on this server.',
  params: {
    monitors: z
      .array(formatted('vigil-name'))
      .min(1)
      .describe('Names of the monitors it combines (not itself, no cycles through other multi monitors).'),
    atLeast: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('How many of them must be in error for this one to be.'),
  },
} satisfies MonitorTypeDefinition;
