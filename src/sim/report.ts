// Human-readable output: the violation report (seed, invariant, time, the last trace entries and the
// exact command that replays the run) and the one-line summary of a run.
import { defaultWindowMs, type RunResult } from './run.js';
import type { UnsafeOptions } from './engine-port.js';
import { formatEntry, formatTime } from './trace.js';
import { describeEvent } from './schedule.js';

export interface ReplayParams {
  seed: number;
  servers: number;
  unsafe?: UnsafeOptions | undefined;
  windowMs?: number;
  faults?: number | undefined;
}

/** The command that replays a run; options at their defaults are left out. */
export function replayCommand(p: ReplayParams): string {
  const flags: string[] = [];
  if (p.windowMs !== undefined && p.windowMs !== defaultWindowMs) flags.push(`--window ${p.windowMs}`);
  if (p.faults !== undefined) flags.push(`--faults ${p.faults}`);
  if (p.unsafe?.skipMoveHandshake) flags.push('--unsafe skipMoveHandshake');
  if (p.unsafe?.skipTakeoverDelay) flags.push('--unsafe skipTakeoverDelay');
  return `npm run sim -- --seed ${p.seed} --servers ${p.servers}${flags.length ? ` ${flags.join(' ')}` : ''}`;
}

export function formatViolation(result: RunResult, lastN = 80): string {
  const v = result.violation;
  if (!v) return `seed ${result.seed} (${result.servers} servers): no violation`;
  const lines = [
    `VIOLATION of ${v.invariant} — seed ${result.seed}, ${result.servers} servers, at ${formatTime(v.at)}`,
    `  ${v.message}`,
    `  replay: ${replayCommand(result)}`,
    `schedule (fault window ${formatTime(result.windowMs)}, liveness bound ${formatTime(result.boundMs)} after the heal):`,
    ...result.schedule.events.map((e) => `  ${formatTime(e.at).padStart(9)}  ${describeEvent(e)}`),
    `last ${Math.min(lastN, result.trace.length)} trace entries:`,
    ...result.trace.slice(-lastN).map((e) => `  ${formatEntry(e)}`),
    `replay: ${replayCommand(result)}`,
  ];
  return lines.join('\n');
}

export function formatSummary(result: RunResult): string {
  const verdict = result.violation ? `VIOLATION (${result.violation.invariant})` : 'ok';
  return `seed ${result.seed} servers ${result.servers}: ${verdict}; ${result.schedule.events.length} fault events, ${formatTime(result.endedAt)} simulated, ${result.steps} engine steps, ${result.messages} messages`;
}
