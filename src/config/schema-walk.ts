// Finds the part of the zod schema that describes a given path of the data, so that error messages
// can list the allowed keys, name the kind of item ("resource", "partition method") and quote the
// key's description. Unions are resolved the way zod resolves them: by `type`, or by the key used.

import { z } from 'zod';
import type { PathSegment } from './problem.js';

export interface SchemaPlace {
  /** The schema as declared for the key, wrappers (optional, default) included: it holds the description. */
  declared: z.ZodType;
  /** With wrappers removed and unions resolved against the data, where that is possible. */
  resolved: z.ZodType;
  /** Set when the object was chosen from a `type` union: the type name, for messages. */
  variant?: string;
}

export function schemaAt(
  root: z.ZodType,
  data: unknown,
  path: readonly PathSegment[],
): SchemaPlace | undefined {
  let place = resolve(root, data);
  let value = data;
  for (const segment of path) {
    const current = place.resolved;
    let next: z.ZodType | undefined;
    if (current instanceof z.ZodObject && typeof segment === 'string') {
      next = Object.hasOwn(current.shape, segment)
        ? (current.shape as Record<string, z.ZodType>)[segment]
        : undefined;
    } else if (current instanceof z.ZodArray) {
      next = current.element as z.ZodType;
    } else if (current instanceof z.ZodRecord) {
      next = current.valueType as z.ZodType;
    }
    if (next === undefined) return undefined;
    value = child(value, segment);
    place = resolve(next, value);
  }
  return place;
}

export function descriptionOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (current.description !== undefined) return current.description;
    current =
      current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault
        ? (current.unwrap() as z.ZodType)
        : undefined;
  }
  return undefined;
}

export function titleOf(schema: z.ZodType): string | undefined {
  const title = schema.meta()?.title;
  return typeof title === 'string' ? title : undefined;
}

/** The keys an object schema allows, or undefined when it is not an object. */
export function keysOf(schema: z.ZodType): string[] | undefined {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

function resolve(declared: z.ZodType, value: unknown): SchemaPlace {
  let resolved = declared;
  while (
    resolved instanceof z.ZodOptional ||
    resolved instanceof z.ZodDefault ||
    resolved instanceof z.ZodPrefault
  ) {
    resolved = resolved.unwrap() as z.ZodType;
  }
  if (resolved instanceof z.ZodDiscriminatedUnion) {
    const discriminator = resolved.def.discriminator;
    const type = child(value, discriminator);
    const variant = (resolved.options as z.ZodType[]).find((option) => {
      const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
      return literal instanceof z.ZodLiteral && literal.values.has(type as never);
    });
    return variant ? { declared, resolved: variant, variant: String(type) } : { declared, resolved };
  }
  if (resolved instanceof z.ZodUnion && isRecord(value)) {
    // One-key objects such as {ping: {...}}: pick the option that declares the key used.
    const keys = Object.keys(value);
    const option = (resolved.options as z.ZodType[]).find(
      (candidate) => candidate instanceof z.ZodObject && keys.every((key) => key in candidate.shape),
    );
    if (option) return { declared, resolved: option };
  }
  return { declared, resolved };
}

export function child(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value) && typeof segment === 'number') return value[segment];
  if (isRecord(value)) return value[String(segment)];
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
