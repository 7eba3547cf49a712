// Domain states → the five semantic statuses the themes colour and the symbols mark.
import type { ServerState } from '../control/protocol.js';
import type { GroupState, MonitorState } from '../engine/io.js';
import type { StatusKind } from './theme.js';

export function serverKind(state: ServerState): StatusKind {
  if (state === 'up') return 'ok';
  if (state === 'suspended') return 'suspended';
  if (state === 'stopped') return 'unknown';
  return 'error';
}

export function groupKind(state: GroupState, run: boolean): StatusKind {
  if (state === 'online') return 'ok';
  if (state === 'failed') return 'error';
  if (state === 'offline') return run ? 'warning' : 'unknown';
  return 'warning';
}

export function resourceKind(state: string): StatusKind {
  if (state === 'online') return 'ok';
  if (state === 'failed') return 'error';
  if (state === 'offline') return 'unknown';
  return 'warning';
}

export function monitorKind(state: MonitorState, suspended: boolean): StatusKind {
  if (suspended || state === 'suspended') return 'suspended';
  if (state === 'ok') return 'ok';
  if (state === 'error') return 'error';
  return 'unknown';
}

export function severityKind(severity: string): StatusKind {
  return severity === 'critical' ? 'error' : severity === 'warning' ? 'warning' : 'ok';
}
