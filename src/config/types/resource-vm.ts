// vm: a libvirt domain managed with virsh.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const vmResource = {
  description:
    'A libvirt virtual machine (domain), started with virsh and shut down, or destroyed at a deadline.',
  params: {
    domain: z
      .string()
      .regex(/^[^\s/]+$/)
      .describe('The libvirt domain name.'),
    uri: z
      .string()
      .regex(/^[a-z0-9+]+:\/\/\S*$/)
      .optional()
      .describe('libvirt connection URI (virsh -c), e.g. qemu:///system.'),
    shutdownTimeout: formatted('vigil-duration')
      .default('30s')
      .describe(
        'How long the guest has to shut down before it is destroyed (at most the stop timeout minus 5s).',
      ),
  },
} satisfies ResourceTypeDefinition;
