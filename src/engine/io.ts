// What goes into the engine and what comes out. The shell (agent, or the simulator) feeds inputs
// with the current time and carries out the outputs in order; the engine does no I/O of its own.
import type { FenceAction, FinalAction } from './model.js';
import type { PeerMessage } from './messages.js';
import type { NpFacts } from './quorum.js';

export type OperatorCommand =
  | { op: 'cluster-start' }
  | { op: 'cluster-stop' }
  | { op: 'cluster-suspend' }
  | { op: 'cluster-resume' }
  | { op: 'group-start'; group: string; server?: string }
  | { op: 'group-stop'; group: string }
  | { op: 'group-move'; group: string; to: string }
  | { op: 'resource-start'; group: string; resource: string }
  | { op: 'resource-stop'; group: string; resource: string }
  | { op: 'monitor-suspend'; monitor: string }
  | { op: 'monitor-resume'; monitor: string }
  | { op: 'monitor-reset'; monitor: string };

export type EngineInput =
  | { type: 'tick'; now: number }
  /** A verified peer message that arrived on `link` (the shell has checked authenticity). */
  | { type: 'message'; now: number; from: string; link: string; message: PeerMessage }
  /** A start or stop the engine asked for has finished (ok false: failed or timed out). */
  | {
      type: 'resource-done';
      now: number;
      group: string;
      resource: string;
      action: 'start' | 'stop';
      ok: boolean;
      detail?: string;
    }
  /** One check of a monitor finished. */
  /** One check of a monitor finished; `warning`: ok but close to a limit (alerted, never recovered). */
  | { type: 'monitor-result'; now: number; monitor: string; ok: boolean; detail?: string; warning?: boolean }
  | { type: 'operator'; now: number; id: string; operator: string; command: OperatorCommand }
  /** Facts for partition resolution that the shell gathered (see quorum.ts); merged by kind. */
  | { type: 'np-facts'; now: number; facts: NpFacts }
  /** The agent is stopping: stop every group here, so peers can take them over without waiting. */
  | { type: 'shutdown'; now: number }
  /**
   * The shell did not run for `gapMs`, longer than a heartbeat timeout (its process was stopped, its
   * event loop blocked): peers may have declared this server down and taken its groups over, so it
   * fences at once. Fed on wake-up before any other input.
   */
  | { type: 'stalled'; now: number; gapMs: number };

/** Why a resource action happens; the exec driver passes it to scripts. */
export type ResourceEvent = 'START' | 'STOP' | 'FAILOVER' | 'RECOVER';

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  /** Unique within the cluster: `<server>-<incarnation>-<n>`. */
  id: string;
  at: number;
  server: string;
  severity: AlertSeverity;
  /** Stable machine-readable kind, such as `server-down`, `group-failover`, `fenced`. */
  kind: string;
  message: string;
}

export type EngineOutput =
  /** Send to one peer by name, or to every peer with '*'. Heartbeats go on every link; the rest on the best link. */
  | { type: 'send'; to: string; message: PeerMessage }
  | { type: 'start-resource'; group: string; resource: string; event: ResourceEvent; timeoutMs: number }
  | { type: 'stop-resource'; group: string; resource: string; event: ResourceEvent; timeoutMs: number }
  /**
   * Self-fence: the shell must make sure every resource of `groups` is stopped within the fence
   * deadline (killing it if a clean stop is too slow), then carry out `action`.
   */
  | { type: 'fence'; reason: string; action: FenceAction; groups: string[] }
  /**
   * Partition resolution begins or ends. While active the shell gathers the facts the configured
   * methods need (pings, the serial peer, the lease: acquire and renew it; `holding` servers ask
   * first) and hands them in as `np-facts`; when it ends it releases the lease.
   */
  | { type: 'np-resolve'; active: boolean; holding: boolean }
  /** The last rung of a recovery ladder that the engine cannot carry out itself. */
  | { type: 'final-action'; action: Exclude<FinalAction, 'none' | 'stop-group'>; reason: string }
  /** The monitors that should be running on this server now (emitted whenever the set changes). */
  | { type: 'monitors'; active: string[] }
  /** State that must survive a restart; the shell writes it atomically before carrying out later outputs. */
  | { type: 'persist'; state: PersistedState }
  | { type: 'alert'; alert: Alert }
  /** The answer to an operator command (accepted or refused, with the reason). */
  | { type: 'reply'; id: string; ok: boolean; message: string }
  | {
      type: 'log';
      level: 'debug' | 'info' | 'warn' | 'error';
      event: string;
      fields: Record<string, unknown>;
    };

/** Written atomically by the shell, handed back to the engine at the next start. */
export interface PersistedState {
  version: 1;
  /** Highest claim epoch seen per group, and the last grant given (see claims.ts). */
  epochs: Record<string, number>;
  grants: Record<string, { to: string; epoch: number; incarnation: number }>;
  /** Groups that were starting, online or stopping here, with their epoch. */
  active: Record<string, number>;
  /** Recovery ladder counters per monitor on this server. */
  ladder: Record<string, { reactivations: number; failovers: number; lastErrorAt: number }>;
  /** Cluster-wide operator intents (cluster mode, group run/stop/placement, monitor suspension). */
  intents: Record<string, IntentRecord>;
}

/** A last-writer-wins register: the highest version wins, ties broken by server name. */
export interface IntentRecord {
  version: number;
  by: string;
  value: IntentValue;
}

export type IntentValue =
  | { kind: 'cluster'; mode: 'running' | 'stopped' | 'suspended' }
  | { kind: 'group'; run: boolean; preferred?: string; avoid?: string }
  | { kind: 'monitor'; suspended: boolean };

export type LocalGroupState = 'offline' | 'starting' | 'online' | 'stopping' | 'failed';
export type GroupState = LocalGroupState | 'moving';
export type ServerState = 'up' | 'down' | 'stopped' | 'suspended' | 'fenced';
export type ResourceState = 'offline' | 'starting' | 'online' | 'stopping' | 'failed';
export type MonitorState = 'ok' | 'error' | 'idle' | 'suspended';

/** Everything status shows, as this server sees the cluster. */
export interface EngineView {
  cluster: string;
  server: string;
  incarnation: number;
  now: number;
  service: 'running' | 'stopped' | 'suspended' | 'fenced';
  quorate: boolean;
  /** The last network-partition decision and why. */
  np: { verdict: 'win' | 'lose' | 'none'; reason: string; at: number };
  servers: {
    name: string;
    state: ServerState;
    /** Health score 0-100 from the server's monitors; null when this server has not heard it. */
    health: number | null;
    links: { id: string; up: boolean; lastHeardMs: number | null }[];
  }[];
  groups: {
    name: string;
    state: GroupState;
    /** The server where it is active, as far as this server knows. */
    server: string | null;
    epoch: number;
    /** This server's own state for the group. */
    local: LocalGroupState;
    run: boolean;
  }[];
  /** Resources of groups on this server. */
  resources: { group: string; name: string; state: ResourceState }[];
  monitors: {
    name: string;
    state: MonitorState;
    suspended: boolean;
    failures: number;
    reactivations: number;
    failovers: number;
    limits: { retries: number; reactivate: number; failover: number; final: FinalAction };
  }[];
}
