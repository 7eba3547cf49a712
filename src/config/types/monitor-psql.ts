// psql: PostgreSQL answers a query.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const psqlMonitor = {
  description:
    'Connects to PostgreSQL and runs a query; healthy when it succeeds (and returns expectValue, if given).',
  params: {
    host: formatted('vigil-host').describe('Address or host name of the server.'),
    port: z.number().int().min(1).max(65535).default(5432).describe('TCP port.'),
    database: z.string().min(1).optional().describe('Database to connect to (default: postgres).'),
    user: z.string().min(1).default('postgres').describe('User name.'),
    passwordFile: formatted('vigil-path')
      .optional()
      .describe('File whose first line is the password (keep it mode 0600); never logged.'),
    query: z.string().min(1).default('SELECT 1').describe('Query to run; keep it cheap and read-only.'),
    expectValue: z
      .string()
      .optional()
      .describe('Text the first column of the first row must equal (SQL NULL reads "NULL").'),
  },
} satisfies MonitorTypeDefinition;
