// pop3: the POP3 server greets and answers a harmless command.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const pop3Monitor = {
  description: 'Connects to a POP3 server; healthy when it greets with +OK and answers CAPA with +OK.',
  params: {
    host: formatted('vigil-host').describe('Address or host name of the server.'),
    port: z.number().int().min(1).max(65535).default(110).describe('TCP port.'),
  },
} satisfies MonitorTypeDefinition;
