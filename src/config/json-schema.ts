// The JSON Schema of the cluster config, for editors (yaml-language-server) and `vigil config schema`.
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // io: 'input' describes the file as written: keys with defaults are optional, not required.
  return z.toJSONSchema(configSchema, { io: 'input' }) as Record<string, unknown>;
}
