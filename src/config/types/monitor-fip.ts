// fip: the floating IP address of the target fip resource is present on this server.
import type { MonitorTypeDefinition } from './define.js';

export const fipMonitor = {
  description: 'Checks that the address of the target fip resource is on its network interface here.',
  params: {},
  watches: { resourceTypes: ['fip'], readsParams: true },
} satisfies MonitorTypeDefinition;
