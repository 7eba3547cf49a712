// user: the agent's own event loop keeps running (a stalled agent cannot send heartbeats in time).
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const userMonitor = {
  description: "Watches the agent's own event loop; in error when it stalled longer than the threshold.",
  params: {
    threshold: formatted('vigil-duration')
      .default('1s')
      .describe('Longest tolerated stall of the agent between two checks.'),
  },
} satisfies MonitorTypeDefinition;
