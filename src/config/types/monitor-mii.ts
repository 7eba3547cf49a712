// mii: a network interface has its link up.
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const miiMonitor = {
  description: 'Reads the link state of a network interface; healthy when it is up with carrier.',
  params: {
    interface: formatted('vigil-ifname').describe('Network interface to watch, e.g. eth0.'),
  },
} satisfies MonitorTypeDefinition;
