// log alert channel: writes alerts to the agent's log only.
import type { AlertTypeDefinition } from './define.js';

export const logAlert = {
  description: "Writes each alert to the agent's log.",
  params: {},
} satisfies AlertTypeDefinition;
