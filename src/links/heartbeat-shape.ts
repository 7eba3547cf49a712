// Shape checks for what arrives inside an authenticated heartbeat frame. Authentication says who
// sent it, not that their encoder was right: the engine must only ever see well-formed Heartbeats.
import type { IntentValue, LocalGroupState } from '../engine/io.js';
import type { Heartbeat } from '../engine/messages.js';

// Records over the engine's unions: when the engine adds a value, this stops compiling instead of
// silently dropping every heartbeat that uses it as malformed.
const SERVICES: Record<Heartbeat['service'], true> = {
  running: true,
  stopped: true,
  suspended: true,
  fenced: true,
};
const GROUP_STATES: Record<LocalGroupState, true> = {
  offline: true,
  starting: true,
  online: true,
  stopping: true,
  failed: true,
};
const INTENT_KINDS: Record<IntentValue['kind'], true> = { cluster: true, group: true, monitor: true };

function isOneOf<T extends string>(allowed: Record<T, true>, value: unknown): value is T {
  return typeof value === 'string' && Object.hasOwn(allowed, value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isGroupReport(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (!isOneOf(GROUP_STATES, value.state)) return false;
  if (!isCount(value.epoch)) return false;
  if (value.claiming !== undefined && !isCount(value.claiming)) return false;
  if (value.unstable !== undefined && typeof value.unstable !== 'boolean') return false;
  return value.blocked === undefined || typeof value.blocked === 'boolean';
}

function isIntentRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (typeof value.version !== 'number' || !Number.isFinite(value.version)) return false;
  if (typeof value.by !== 'string') return false;
  const intent = value.value;
  return isRecord(intent) && isOneOf(INTENT_KINDS, intent.kind);
}

function everyValue(record: unknown, check: (value: unknown) => boolean): boolean {
  return isRecord(record) && Object.values(record).every(check);
}

/** True when `value` has the shape of the engine's Heartbeat. */
export function isHeartbeat(value: unknown): value is Heartbeat {
  if (!isRecord(value)) return false;
  return (
    value.kind === 'heartbeat' &&
    isCount(value.incarnation) &&
    isCount(value.seq) &&
    Array.isArray(value.hears) &&
    value.hears.every((name) => typeof name === 'string') &&
    typeof value.quorate === 'boolean' &&
    isOneOf(SERVICES, value.service) &&
    (value.health === undefined || (isCount(value.health) && value.health <= 100)) &&
    everyValue(value.groups, isGroupReport) &&
    everyValue(value.intents, isIntentRecord)
  );
}
