// fip: a floating IP address that moves with its group.
import { z } from 'zod';
import { parseDuration } from '../durations.js';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const fipResource = {
  description: 'A floating IP address, added to a network interface of the server that runs the group.',
  params: {
    address: formatted('vigil-cidr').describe('Address with prefix length, e.g. 10.0.0.100/24.'),
    device: formatted('vigil-ifname').describe('Network interface that carries the address, e.g. eth0.'),
    arping: z
      .boolean()
      .default(true)
      .describe(
        'Announce the address to the network (gratuitous ARP) after adding it, so neighbours update their caches.',
      ),
    duplicateCheck: z
      .union([
        z.number().int().min(0).max(10),
        formatted('vigil-duration').refine(
          (value) => (parseDuration(value) ?? Infinity) <= 10_000,
          'at most 10s',
        ),
      ])
      .default(1)
      .describe(
        'How long to wait for another host to answer for the address before adding it (arping -D): whole seconds 0-10, or a duration such as 300ms (at most 10s); 0 skips the check.',
      ),
  },
} satisfies ResourceTypeDefinition;
