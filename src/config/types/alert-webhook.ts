// webhook alert channel: sends each alert to a URL.
import { formatted } from '../formats.js';
import type { AlertTypeDefinition } from './define.js';

export const webhookAlert = {
  description: 'Sends each alert to an http(s) URL.',
  params: {
    url: formatted('vigil-http-url').describe('http:// or https:// URL to send alerts to.'),
  },
} satisfies AlertTypeDefinition;
