// A server's health score, 0-100, from its own monitors: each monitor in error or warning takes
// points off, the `system` monitor (the machine itself) more than the others. Carried in
// heartbeats; the recovery ladder prefers healthier servers among equally stable ones.

export interface MonitorHealth {
  type: string;
  error: boolean;
  warning: boolean;
}

const PENALTY = {
  error: { system: 40, other: 25 },
  warning: { system: 15, other: 10 },
} as const;

export function healthScore(monitors: MonitorHealth[]): number {
  let score = 100;
  for (const monitor of monitors) {
    const kind = monitor.type === 'system' ? 'system' : 'other';
    if (monitor.error) score -= PENALTY.error[kind];
    else if (monitor.warning) score -= PENALTY.warning[kind];
  }
  return Math.max(0, score);
}
