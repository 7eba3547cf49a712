// imap: the IMAP server greets and answers a harmless command.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const imapMonitor = {
  description:
    'Connects to a IMAP server; healthy when it greets with "* OK" and answers "a001 NOOP" with "a001 OK".',
  params: {
    host: formatted('vigil-host').describe('Address or host name of the server.'),
    port: z.number().int().min(1).max(65535).default(143).describe('TCP port.'),
  },
} satisfies MonitorTypeDefinition;
