// Turns zod's issues into findings an operator can act on: the thing, what is wrong, what to do.
// zod's own messages ("Invalid input") are never shown; every issue code gets a message here.

import type { z } from 'zod';
import { findFormat } from './formats.js';
import { error, type Finding, type PathSegment } from './problem.js';
import { child, descriptionOf, isRecord, keysOf, schemaAt, titleOf } from './schema-walk.js';
import { closest, didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;

export function issuesToFindings(schema: z.ZodType, data: unknown, issues: readonly Issue[]): Finding[] {
  // A value of the wrong type can also fail length checks ("" is too short for a list): say it once.
  const wrongType = new Set(
    issues.filter((issue) => issue.code === 'invalid_type').map((issue) => pathKey(issue.path)),
  );
  return issues
    .filter((issue) => issue.code === 'invalid_type' || !wrongType.has(pathKey(issue.path)))
    .filter((issue) => !isMisspeltKey(issue, issues))
    .flatMap((issue) => explainIssue(schema, data, issue, issue.path.map(toSegment)));
}

/** `lans:` for `lan:` is one mistake: the unknown key (with its suggestion) says it, not also "lan is missing". */
function isMisspeltKey(issue: Issue, issues: readonly Issue[]): boolean {
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return false;
  const key = String(issue.path[issue.path.length - 1]);
  const parent = pathKey(issue.path.slice(0, -1));
  return issues.some(
    (other) =>
      other.code === 'unrecognized_keys' &&
      pathKey(other.path) === parent &&
      other.keys.some((unknown) => closest(unknown, [key]) === key),
  );
}

function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('\0');
}

function explainIssue(schema: z.ZodType, data: unknown, issue: Issue, path: PathSegment[]): Finding[] {
  const place = schemaAt(schema, data, path);
  const description = place ? descriptionOf(place.declared) : undefined;
  const value = valueAt(data, path);
  const missing = value === undefined && path.length > 0 && isRecord(valueAt(data, path.slice(0, -1)));
  if (missing && issue.code !== 'invalid_union') return [error(path, 'required key is missing', description)];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = place ? (keysOf(place.resolved) ?? []) : [];
      const forType = place?.variant === undefined ? '' : ` for type "${place.variant}"`;
      return issue.keys.map((key) =>
        error(
          [...path, key],
          `unknown key "${key}"${forType}`,
          didYouMean(key, allowed, `allowed here: ${allowed.join(', ')}`),
          'key',
        ),
      );
    }
    case 'invalid_type':
      return [invalidType(schema, data, path, issue.expected, description)];
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const hint =
        typeof value === 'string'
          ? didYouMean(value, allowed, `use one of: ${allowed.join(', ')}`)
          : `use one of: ${allowed.join(', ')}`;
      return [error(path, value === null ? 'the value is empty' : `${show(value)} is not allowed`, hint)];
    }
    case 'invalid_format': {
      const explained = findFormat(issue.format)?.explain(String(value));
      return [
        error(path, explained?.message ?? `${show(value)} is not valid`, explained?.hint ?? description),
      ];
    }
    case 'too_small':
      return [tooSmall(path, issue, value, description)];
    case 'too_big':
      return [error(path, `${show(value)} is more than ${String(issue.maximum)}`, description)];
    case 'invalid_union':
      return invalidUnion(schema, data, issue, path, description);
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues[0];
      const explained = inner?.code === 'invalid_format' ? findFormat(inner.format)?.explain(key) : undefined;
      return [
        error(path, explained?.message ?? `"${key}" is not allowed as a key here`, explained?.hint, 'key'),
      ];
    }
    default:
      return [error(path, issue.message, description)];
  }
}

function invalidType(
  schema: z.ZodType,
  data: unknown,
  path: PathSegment[],
  expected: string,
  description?: string,
): Finding {
  const value = valueAt(data, path);
  if (path.length === 0) {
    return value === null || value === undefined
      ? error(path, 'the file is empty', 'a config needs at least `cluster` and `servers`; see examples/')
      : error(
          path,
          `the top level must be a mapping, not ${describe(value)}`,
          'start with `cluster:`; see examples/',
        );
  }
  const place = schemaAt(schema, data, path);
  const format = place && 'format' in place.resolved ? findFormat(String(place.resolved.format)) : undefined;
  const explained = format?.explainWrongType?.(value);
  if (explained) return error(path, explained.message, explained.hint);
  const wanted = EXPECTED[expected] ?? expected;
  if (value === null) return error(path, `the value is empty, expected ${wanted}`, description);
  let hint = description;
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    hint = `quote it: "${String(value)}"`;
  if (expected === 'array' && isScalar(value)) hint = `write a list: [${String(value)}]`;
  if (expected === 'boolean' && typeof value === 'string') hint = 'write true or false, without quotes';
  if ((expected === 'number' || expected === 'int') && typeof value === 'string' && /^[0-9.]+$/.test(value))
    hint = `write it without quotes: ${value}`;
  return error(path, `expected ${wanted}, got ${describe(value)}`, hint);
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

function tooSmall(
  path: PathSegment[],
  issue: z.core.$ZodIssueTooSmall,
  value: unknown,
  description?: string,
): Finding {
  if (issue.origin === 'array') {
    return error(
      path,
      `the list needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`,
      description,
    );
  }
  if (issue.origin === 'string') return error(path, 'the value is empty', description);
  const bound =
    issue.inclusive === false ? `more than ${String(issue.minimum)}` : `at least ${String(issue.minimum)}`;
  return error(path, `${show(value)} is too small: it must be ${bound}`, description);
}

/**
 * A union reports one issue list per option. When exactly one option fits the shape of the value
 * (the right key, the right kind), its issues are the real ones; otherwise the value matches no option.
 */
function invalidUnion(
  schema: z.ZodType,
  data: unknown,
  issue: z.core.$ZodIssueInvalidUnion,
  path: PathSegment[],
  description?: string,
): Finding[] {
  const discriminator = 'discriminator' in issue ? issue.discriminator : undefined;
  if (discriminator !== undefined) {
    const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
    return [unknownType(schema, data, path, discriminator, options)];
  }
  const fitting = issue.errors.filter(
    (option) =>
      !option.some(
        (inner) =>
          inner.path.length === 0 &&
          ['invalid_type', 'invalid_value', 'unrecognized_keys'].includes(inner.code),
      ),
  );
  if (fitting.length === 1) {
    return (fitting[0] as Issue[]).flatMap((inner) =>
      explainIssue(schema, data, inner, [...path, ...inner.path.map(toSegment)]),
    );
  }
  const union = schemaAt(schema, data, path);
  const title = (union && (titleOf(union.declared) ?? titleOf(union.resolved))) ?? 'value';
  const value = valueAt(data, path);
  const hint = description === undefined ? undefined : `use ${description}`;
  if (typeof value === 'string') return [error(path, `unknown ${title} "${value}"`, hint)];
  if (isRecord(value) && Object.keys(value).length === 1)
    return [error(path, `unknown ${title} "${Object.keys(value)[0] ?? ''}"`, hint)];
  if (isRecord(value) && Object.keys(value).length !== 1)
    return [error(path, `a ${title} is written with exactly one key`, hint)];
  return [error(path, `${show(value)} is not a ${title}`, hint)];
}

function unknownType(
  schema: z.ZodType,
  data: unknown,
  path: PathSegment[],
  discriminator: string,
  options: readonly unknown[],
): Finding {
  // zod reports the issue at `item.type`; the union itself describes the item.
  const itemPath = path[path.length - 1] === discriminator ? path.slice(0, -1) : path;
  const union = schemaAt(schema, data, itemPath);
  const title = (union && titleOf(union.declared)) ?? (union && titleOf(union.resolved)) ?? 'item';
  const known = options.map(String);
  const item = valueAt(data, itemPath);
  if (!isRecord(item)) {
    const hint = `a ${title} needs at least name and type`;
    return error(itemPath, `expected a mapping (key: value), got ${describe(item)}`, hint);
  }
  const type = item[discriminator];
  const typePath = [...itemPath, discriminator];
  const knownList = `known ${title} types: ${known.join(', ')}`;
  if (type === undefined) return error(typePath, 'required key is missing', knownList);
  if (type === null) return error(typePath, 'the value is empty', knownList);
  if (typeof type !== 'string')
    return error(typePath, `expected a ${title} type, got ${describe(type)}`, knownList);
  const suggestion = didYouMean(type, known, '');
  return error(
    typePath,
    `unknown ${title} type ${show(type)}`,
    suggestion === '' ? knownList : `${suggestion} ${knownList}`,
  );
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((value, segment) => child(value, segment), data);
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === 'number' ? key : String(key);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describe(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}
