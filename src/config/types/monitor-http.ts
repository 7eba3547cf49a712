// http: an HTTP(S) URL answers with the expected status (and body).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const httpMonitor = {
  description: 'Fetches a URL; healthy when the status (and the body, if given) is as expected.',
  params: {
    url: formatted('vigil-http-url').describe('http:// or https:// URL to fetch.'),
    method: z.enum(['GET', 'HEAD', 'POST', 'OPTIONS']).default('GET').describe('HTTP method.'),
    expectStatus: z
      .number()
      .int()
      .min(100)
      .max(599)
      .optional()
      .describe('Expected HTTP status code; without it any 2xx or 3xx is healthy.'),
    body: formatted('vigil-regexp').optional().describe('Regular expression the response body must match.'),
    caFile: formatted('vigil-path')
      .optional()
      .describe('PEM file of the CA(s) that sign the server certificate, instead of the system CAs.'),
    tlsVerify: z
      .boolean()
      .default(true)
      .describe('false: accept any server certificate (UNSAFE: anyone in the path can answer).'),
  },
} satisfies MonitorTypeDefinition;
