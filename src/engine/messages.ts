// Messages between engines. The shell authenticates and transports them (UDP heartbeats on every
// link, the TLS peer channel for the rest); the engine only sees verified messages.
import type { IntentRecord, LocalGroupState } from './io.js';

export interface GroupReport {
  state: LocalGroupState;
  /** The epoch of the sender's last settled business with the group: active under it, or done with it. */
  epoch: number;
  /** An epoch the sender is collecting grants for right now (not yet started, not yet given up). */
  claiming?: number;
  /** The sender cannot take this group for now (a start failed there recently). */
  blocked?: boolean;
  /** A monitor of the sender climbed its recovery ladder for this group recently: not a stable target. */
  unstable?: boolean;
}

export interface Heartbeat {
  kind: 'heartbeat';
  /** Changes at every engine start, so a restarted peer is recognised. */
  incarnation: number;
  seq: number;
  /** Peers this sender has heard within the heartbeat timeout: the receiver learns whether contact is mutual. */
  hears: string[];
  quorate: boolean;
  /** The sender holds the disk or witness lease of partition resolution (for its side). */
  lease?: boolean;
  service: 'running' | 'stopped' | 'suspended' | 'fenced';
  /** The sender's health score, 0-100, from its monitors (absent from older agents). */
  health?: number;
  /** The sender's own state of every group. */
  groups: Record<string, GroupReport>;
  /** The sender's copy of the cluster-wide intents (merged last-writer-wins). */
  intents: Record<string, IntentRecord>;
}

/** Ask every server for permission to activate `group` under a new epoch. */
export interface Claim {
  kind: 'claim';
  group: string;
  epoch: number;
  incarnation: number;
}

export interface Grant {
  kind: 'grant';
  group: string;
  epoch: number;
}

export interface Refuse {
  kind: 'refuse';
  group: string;
  epoch: number;
  /** The highest epoch the refuser knows, so the claimant can catch up. */
  highest: number;
  reason: string;
}

/** An operator's resource start/stop, forwarded to the server where the group is active. */
export interface ResourceOp {
  kind: 'resource-op';
  id: string;
  group: string;
  resource: string;
  action: 'start' | 'stop';
}

/** An operator reset a monitor's ladder counters; every server resets its own. */
export interface MonitorReset {
  kind: 'monitor-reset';
  monitor: string;
}

export type PeerMessage = Heartbeat | Claim | Grant | Refuse | ResourceOp | MonitorReset;
