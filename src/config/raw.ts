// Lenient readers of the parsed YAML for the cross-reference and timing checks. Those checks run
// even when the schema found errors (so every problem is reported at once), so they must take any
// shape of data: whatever is not where and what it should be is skipped here, the schema reports it.

import { parseDuration } from './durations.js';
import { isRecord } from './schema-walk.js';

export type RawRecord = Record<string, unknown>;

export interface RawItem {
  index: number;
  value: RawRecord;
}

/** The entries of a list that are mappings, with their index in the list. */
export function items(record: unknown, key: string): RawItem[] {
  const list = isRecord(record) ? record[key] : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((value, index) => (isRecord(value) ? [{ index, value }] : []));
}

export function section(record: unknown, key: string): RawRecord {
  const value = isRecord(record) ? record[key] : undefined;
  return isRecord(value) ? value : {};
}

export function text(record: RawRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export function texts(record: RawRecord, key: string): { index: number; value: string }[] {
  const list = record[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((value, index) => (typeof value === 'string' ? [{ index, value }] : []));
}

export function count(record: RawRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The duration in ms: the default when the key is absent, undefined when it is invalid. */
export function durationMs(record: RawRecord, key: string, fallbackMs: number): number | undefined {
  const value = record[key];
  if (value === undefined) return fallbackMs;
  return typeof value === 'string' ? parseDuration(value) : undefined;
}

/** The names of the items that have one. */
export function names(list: RawItem[]): string[] {
  return list.flatMap((item) => (typeof item.value.name === 'string' ? [item.value.name] : []));
}
