// exec alert channel: runs a command for each alert.
import { formatted } from '../formats.js';
import type { AlertTypeDefinition } from './define.js';

export const execAlert = {
  description: 'Runs a command for each alert.',
  params: {
    command: formatted('vigil-command').describe('Command line or script path to run.'),
  },
} satisfies AlertTypeDefinition;
