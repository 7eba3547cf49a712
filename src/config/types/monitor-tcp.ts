// tcp: a TCP port accepts connections (and, optionally, answers as expected).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const tcpMonitor = {
  description: 'Opens a TCP connection; healthy when it is accepted within the timeout.',
  params: {
    host: formatted('vigil-host').describe('Address or host name to connect to.'),
    port: z.number().int().min(1).max(65535).describe('TCP port.'),
    send: z
      .string()
      .min(1)
      .optional()
      .describe('Text sent once connected (YAML escapes such as \\r\\n work).'),
    expect: formatted('vigil-regexp')
      .optional()
      .describe('Regular expression the reply must match within the timeout.'),
  },
} satisfies MonitorTypeDefinition;
