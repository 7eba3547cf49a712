// ftp: the FTP server greets and answers a harmless command.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const ftpMonitor = {
  description: 'Connects to a FTP server; healthy when it greets with 220 and answers NOOP with 200.',
  params: {
    host: formatted('vigil-host').describe('Address or host name of the server.'),
    port: z.number().int().min(1).max(65535).default(21).describe('TCP port.'),
  },
} satisfies MonitorTypeDefinition;
