// volmgr: an LVM volume group, active on one server at a time thanks to LVM tags.
import { z } from 'zod';
import type { ResourceTypeDefinition } from './define.js';

export const volmgrResource = {
  description: 'An LVM volume group, tagged with the server that activates it so no other server can.',
  params: {
    vg: z
      .string()
      .regex(/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/)
      .describe('The volume group name, e.g. vg_shared.'),
    takeover: z
      .enum(['failover', 'never'])
      .default('failover')
      .describe(
        "failover: on a FAILOVER start, remove the failed server's vigil tag and take the VG over; never: always refuse while another server's tag is on it.",
      ),
  },
} satisfies ResourceTypeDefinition;
