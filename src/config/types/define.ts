// What a resource, monitor or alert type contributes to the config: its own keys (beside the common
// ones every item of its kind has) and a one-line description for the JSON Schema and the docs.

import type { z } from 'zod';
import type { Explanation } from '../explanation.js';

export interface TypeDefinition {
  description: string;
  /** The type's own keys; unknown keys are still errors. */
  params: z.ZodRawShape;
}

export type ResourceTypeDefinition = TypeDefinition;

export interface MonitorTypeDefinition extends TypeDefinition {
  /** Set when the monitor can only watch a resource of certain types (`target: group/resource`). */
  watches?: {
    resourceTypes: string[];
    /** A further rule on the watched resource's keys, such as "must be long-running". */
    check?(resource: Record<string, unknown>, resourceName: string): Explanation | undefined;
    /** The driver reads the watched resource's keys (the model gives them as targetParams). */
    readsParams?: boolean;
  };
}

export type AlertTypeDefinition = TypeDefinition;
