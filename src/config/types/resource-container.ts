// container: one container run with podman or docker.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const containerResource = {
  description: 'A container run with podman or docker, stopped and removed on stop.',
  params: {
    runtime: z.enum(['podman', 'docker']).default('podman').describe('The container runtime command.'),
    image: z
      .string()
      .regex(/^[^\s]+$/)
      .describe('The image, e.g. docker.io/library/nginx:1.27.'),
    containerName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
      .optional()
      .describe('The container name; default vigil-GROUP-RESOURCE.'),
    runOptions: z
      .array(z.string())
      .default([])
      .describe('Options for `run` before the image, e.g. [-p, "8080:80"].'),
    args: z.array(z.string()).default([]).describe('Command and arguments after the image.'),
    stopGrace: formatted('vigil-duration')
      .default('10s')
      .describe('How long the container has to exit after SIGTERM (stop -t) before the runtime kills it.'),
  },
} satisfies ResourceTypeDefinition;
