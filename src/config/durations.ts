// Durations in the config are strings with a unit (`500ms`, `3s`, `2m`, `1h`, `1.5s`); the engine
// works in whole milliseconds. A bare number is refused because `2` could mean seconds or milliseconds.

import type { Explanation } from './explanation.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
export const DURATION_UNITS = Object.keys(UNIT_MS);
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$';
const UNITS_HINT = 'write a number with a unit: ms, s, m or h, e.g. 500ms, 3s, 1.5s, 2m';

/** Milliseconds for a valid duration string, undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  return explainDuration(text) === undefined ? toMs(text) : undefined;
}

function toMs(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-z]+)$/.exec(text) as RegExpExecArray;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number));
}

/** Why `value` is not a usable duration, or undefined when it is one. */
export function explainDuration(value: unknown): Explanation | undefined {
  if (typeof value === 'number') {
    return {
      message: `the bare number ${value} is not a duration`,
      hint: `add a unit, e.g. ${value}s or ${value}ms`,
    };
  }
  if (typeof value !== 'string') return { message: 'expected a duration such as 2s', hint: UNITS_HINT };
  const shaped = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  if (!shaped) return { message: `"${value}" is not a duration`, hint: UNITS_HINT };
  const [, amount, unit] = shaped as unknown as [string, string, string];
  if (unit === '')
    return { message: `"${value}" has no unit`, hint: `add a unit, e.g. ${amount}s or ${amount}ms` };
  if (!Object.hasOwn(UNIT_MS, unit))
    return { message: `unknown unit "${unit}" in "${value}"`, hint: UNITS_HINT };
  if (value !== `${amount}${unit}`)
    return { message: `"${value}" has extra spaces`, hint: `write ${amount}${unit}` };
  const ms = Number(amount) * (UNIT_MS[unit] as number);
  if (ms === 0) return { message: 'a duration must be longer than zero', hint: UNITS_HINT };
  if (!Number.isInteger(ms)) {
    return {
      message: `"${value}" is not a whole number of milliseconds`,
      hint: 'use a coarser value, e.g. 2ms',
    };
  }
  return undefined;
}

/** A short human form of milliseconds, for summaries: 500ms, 2s, 12.5s, 2m, 2m30s, 1h. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return rest === 0 ? `${minutes}m` : `${minutes}m${trim(rest / 1_000)}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)));
}
