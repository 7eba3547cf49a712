// exec: start and stop commands (or one long-running process the agent keeps track of).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const execResource = {
  description: 'Runs a start command and an optional stop command, or keeps a long-running process.',
  params: {
    start: formatted('vigil-command').describe(
      'Command line or script path that starts the resource (with longRunning: the process itself).',
    ),
    stop: formatted('vigil-command')
      .optional()
      .describe('Command line or script path that stops the resource.'),
    longRunning: z
      .boolean()
      .default(false)
      .describe(
        'true: `start` is a long-running process that the agent keeps track of while the resource is online.',
      ),
    env: z
      .record(formatted('vigil-env-name'), z.string())
      .optional()
      .describe('Extra environment variables for the commands.'),
  },
} satisfies ResourceTypeDefinition;
