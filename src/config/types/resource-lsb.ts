// lsb: a service run through its LSB init script (start, stop, status with LSB exit codes).
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const lsbResource = {
  description: 'A service controlled by its LSB init script: SCRIPT start, SCRIPT stop, SCRIPT status.',
  params: {
    script: formatted('vigil-path').describe('The init script, e.g. /etc/init.d/postgresql.'),
    statusTimeout: formatted('vigil-duration')
      .default('20s')
      .describe('Longest time SCRIPT status may take (start and stop use startTimeout and stopTimeout).'),
    env: z
      .record(formatted('vigil-env-name'), z.string())
      .optional()
      .describe('Extra environment variables for the script.'),
  },
} satisfies ResourceTypeDefinition;
