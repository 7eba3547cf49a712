// Default values that the schema, the checks and the normalisation share, and the defaults that
// depend on other keys (which a schema default cannot express).

import { parseDuration } from './durations.js';

/** Written as in the YAML, so the schema and the JSON Schema show them as an operator writes them. */
export const DEFAULTS = {
  keyFile: '/etc/vigil/cluster.key',
  sshPort: 29022,
  heartbeatPort: 29100,
  peerPort: 29101,
  comBaudRate: 115200,
  heartbeatInterval: '500ms',
  heartbeatTimeout: '2s',
  npDeadline: '1s',
  fenceDeadline: '1s',
  startTimeout: '60s',
  stopTimeout: '60s',
  monitorInterval: '5s',
  monitorTimeout: '3s',
  monitorRetries: 1,
  reactivate: 1,
} as const;

export function defaultMs(
  key:
    | 'heartbeatInterval'
    | 'heartbeatTimeout'
    | 'npDeadline'
    | 'fenceDeadline'
    | 'startTimeout'
    | 'stopTimeout'
    | 'monitorInterval'
    | 'monitorTimeout',
): number {
  return parseDuration(DEFAULTS[key]) as number;
}

export interface TimingMs {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  npDeadlineMs: number;
  fenceDeadlineMs: number;
}

/** The least takeover delay that is safe: the peer must have noticed, lost resolution and fenced. */
export function minimumTakeoverDelayMs(timing: TimingMs): number {
  return timing.heartbeatTimeoutMs + timing.npDeadlineMs + timing.fenceDeadlineMs;
}

/** The default adds one heartbeat interval of margin for the peer's detection running a beat late. */
export function defaultTakeoverDelayMs(timing: TimingMs): number {
  return minimumTakeoverDelayMs(timing) + timing.heartbeatIntervalMs;
}

/** Fail over once, unless the group can only run on one server. */
export function defaultFailover(policyLength: number): number {
  return Math.min(1, policyLength - 1);
}

/** A monitor of a resource runs only where the resource is online; others always run. */
export function defaultMonitorTiming(target: string | undefined): 'always' | 'active' {
  return target !== undefined && target.includes('/') ? 'active' : 'always';
}

/** The commands behind the reboot and poweroff fence actions: forced, no clean shutdown of services. */
export const DEFAULT_FENCE_COMMANDS = {
  reboot: 'systemctl reboot --force',
  poweroff: 'systemctl poweroff --force',
} as const;
