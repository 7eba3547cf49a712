// systemd: a unit started and stopped with systemctl.
import { z } from 'zod';
import type { ResourceTypeDefinition } from './define.js';

export const systemdResource = {
  description:
    'A systemd unit, started and stopped with systemctl; the agent waits until it is active or inactive.',
  params: {
    unit: z
      .string()
      .regex(/^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|mount|timer|path|scope)$/)
      .describe('The unit name with its suffix, e.g. postgresql.service.'),
  },
} satisfies ResourceTypeDefinition;
