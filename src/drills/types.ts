// Failover drills: a fault injected on purpose (and taken back by itself), and the timeline of how
// the cluster reacted, read from the agents' own log events.

export const DRILL_KINDS = ['dummy-failure', 'heartbeat-loss', 'process-stop'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

export interface DrillInfo {
  kind: DrillKind;
  /** What the target names. */
  target: 'monitor' | 'server' | 'resource';
  /** The effect, as a confirmation names it. */
  effect: string;
}

export const DRILLS: Record<DrillKind, DrillInfo> = {
  'dummy-failure': {
    kind: 'dummy-failure',
    target: 'monitor',
    effect: 'the monitor reports an error on the server where it runs until the drill ends',
  },
  'heartbeat-loss': {
    kind: 'heartbeat-loss',
    target: 'server',
    effect: 'the server sends no heartbeats and ignores those it receives, on every link',
  },
  'process-stop': {
    kind: 'process-stop',
    target: 'resource',
    effect: "the exec resource's long-running process is killed (SIGKILL) on the server where it runs",
  },
};

export const DEFAULT_DRILL_SECONDS = 30;
export const MAX_DRILL_SECONDS = 3600;

export function isDrillKind(name: string): name is DrillKind {
  return (DRILL_KINDS as readonly string[]).includes(name);
}

export interface DrillRequest {
  kind: DrillKind;
  /** A monitor, a server, or a resource as GROUP/RESOURCE (or RESOURCE when unique). */
  target: string;
  durationSeconds: number;
  /** Service check: this URL answering 2xx; default: the group's monitors ok on the new server. */
  url?: string;
  /** process-stop: SIGKILL (default) or SIGSTOP (continued when the drill ends). */
  signal?: 'SIGKILL' | 'SIGSTOP';
}

export type StepName = 'injected' | 'detected' | 'np-decided' | 'stopped' | 'started' | 'green' | 'reverted';

/** One step of a drill's timeline: the agent event it comes from, as logged. */
export interface TimelineStep {
  step: StepName;
  /** ISO time from the agent's log record. */
  at: string;
  server: string;
  event: string;
  detail: string;
  /** Milliseconds since the fault was injected. */
  sinceMs: number;
}

export interface DrillState {
  id: string;
  kind: DrillKind;
  target: string;
  /** The group the drill concerns and where it was active when the fault was injected. */
  group: string | null;
  source: string | null;
  /** Where the fault was injected. */
  faultServer: string;
  durationSeconds: number;
  startedAt: string;
  state: 'running' | 'done' | 'stopped' | 'failed';
  /** Why it ended, or what went wrong. */
  message: string;
  timeline: TimelineStep[];
}
