// http: an HTTP(S) URL answers with the expected status (and body).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';

export const httpMonitor = {
  description: 'Fetches a URL; healthy when the status (and the body, if given) is as expected.',
  params: {
    url: formatted('vigil-http-url').describe('http:// or https:// URL to fetch.'),
    expectStatus: z.number().int().min(100).max(599).default(200).describe('Expected HTTP status code.'),
    body: formatted('vigil-regexp').optional().describe('Regular expression the response body must match.'),
  },
} satisfies MonitorTypeDefinition;
