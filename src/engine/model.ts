// The cluster as the engine sees it: the validated configuration, normalised (durations in ms,
// defaults filled in, references resolved to names that exist). src/config builds it; the engine
// never reads YAML or files itself.

export interface Timing {
  /** How often each server sends a heartbeat on every link. */
  heartbeatIntervalMs: number;
  /** A link to a peer is down after this long without a valid heartbeat on it; the peer is down when all are. */
  heartbeatTimeoutMs: number;
  /** How long network-partition resolution may take before it counts as lost. */
  npDeadlineMs: number;
  /** How long a server that lost NP resolution has to stop all its groups (the shell enforces it). */
  fenceDeadlineMs: number;
  /**
   * How long a survivor waits, after declaring a peer down, before taking over groups the peer held.
   * Must cover the time the peer needs to notice and fence itself: heartbeatTimeout + npDeadline + fenceDeadline.
   */
  takeoverDelayMs: number;
}

export type LinkKind = 'lan' | 'com' | 'disk';

export interface LinkModel {
  /** Stable id shared by both ends of the link: `lan0`, `lan1` (interconnect rank), `com`, `disk`. */
  id: string;
  kind: LinkKind;
  /** LAN: this server's address on the interconnect. */
  address?: string;
  /** COM: serial device path. DISK: block device or file path. */
  device?: string;
}

export interface ServerModel {
  name: string;
  links: LinkModel[];
}

export type NpMethodModel =
  | { kind: 'majority' }
  | { kind: 'ping'; targets: string[]; mode: 'any' | 'all' }
  | { kind: 'disk'; device: string }
  | { kind: 'com' }
  | { kind: 'witness'; url: string };

export type FenceAction = 'stop-service' | 'reboot' | 'poweroff';

export interface PartitionModel {
  /** Tried in order; the first method that reaches a verdict decides. */
  methods: NpMethodModel[];
  /** What a server that loses does once its groups are stopped. */
  action: FenceAction;
  /** The shell commands behind reboot and poweroff (the agent runs them; the engine never does). */
  commands?: { reboot: string; poweroff: string };
}

export interface ResourceModel {
  name: string;
  type: string;
  /** Names of resources in the same group that must be online before this one starts. */
  dependsOn: string[];
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** Type-specific parameters, validated by the resource driver's schema. */
  params: Record<string, unknown>;
}

export interface GroupModel {
  name: string;
  /** Servers allowed to run the group, most preferred first. */
  policy: string[];
  startup: 'auto' | 'manual';
  failback: 'auto' | 'manual';
  /** After a failed stop the group is killed; 'reboot' and 'poweroff' then also take the server down. */
  stopFailure?: 'kill' | 'reboot' | 'poweroff';
  /** Groups that share an exclusion rule never run on the same server. */
  exclusion?: string;
  resources: ResourceModel[];
}

export type FinalAction = 'none' | 'stop-group' | 'stop-cluster' | 'reboot' | 'poweroff';

export interface RecoveryModel {
  /** What the ladder acts on: one resource (reactivate restarts it) or the whole group. */
  target: { group: string; resource?: string };
  reactivate: number;
  failover: number;
  final: FinalAction;
  /** The counters start over after this long without an error; never when absent. */
  resetAfterMs?: number;
}

export interface MonitorModel {
  name: string;
  type: string;
  /** The watched resource, if any; with timing 'active' the monitor runs only while it is online here. */
  target?: { group: string; resource?: string };
  /** The target resource's keys, for types that read them (the fip monitor: its address and device). */
  targetParams?: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed checks tolerated before the monitor is in error. */
  retries: number;
  timing: 'always' | 'active';
  /** Failed checks are not counted for this long after the watched target went online here. */
  waitAfterStartMs?: number;
  /** Percent of the timeout: an ok check slower than that passes with a warning. */
  delayWarning?: number;
  recovery: RecoveryModel;
  params: Record<string, unknown>;
}

export interface ClusterModel {
  name: string;
  timing: Timing;
  /** In priority order: the first is the most preferred, and breaks ties in even splits. */
  servers: ServerModel[];
  partition: PartitionModel;
  groups: GroupModel[];
  monitors: MonitorModel[];
}
