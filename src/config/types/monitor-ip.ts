// ip: addresses answer ICMP echo (the gateway, a router, a neighbour).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const ipMonitor = {
  description: 'Pings addresses; healthy when any (or all) of them answer.',
  params: {
    targets: z.array(formatted('vigil-host')).min(1).describe('Addresses or host names to ping.'),
    mode: z
      .enum(['any', 'all'])
      .default('any')
      .describe('any: one answer is enough; all: every target must answer.'),
  },
} satisfies MonitorTypeDefinition;
