// What the agent needs of any heartbeat link (LAN, COM, DISK): start it, send the engine's
// heartbeat, hear peers' heartbeats, and report per-peer figures and the link's own state.
import type { LinkKind } from '../engine/model.js';
import type { Heartbeat } from '../engine/messages.js';

export type HeartbeatHandler = (from: string, linkId: string, body: Heartbeat) => void;

/** This end of a link: 'up' while it can send and receive, otherwise why not. */
export type LocalLinkState = 'up' | 'opening' | 'reopening' | 'stalled' | 'closed';

export interface LocalLinkStatus {
  id: string;
  kind: LinkKind;
  state: LocalLinkState;
  /** Device, file or address this end uses. */
  endpoint: string;
  /** Frames in/out, errors by kind, reopens, ...: every counter the link keeps, zero or not. */
  counters: Record<string, number>;
  /** The last problem, for an operator (no secrets). */
  detail?: string;
}

export interface PeerLinkStats {
  rttMs: number | null;
  loss: number | null;
  /** Wall-clock ms of the last valid frame from the peer, where the link keeps it (COM). */
  lastHeardAt?: number | null;
}

export interface HeartbeatLink {
  readonly id: string;
  readonly kind: LinkKind;
  start(): Promise<void>;
  onHeartbeat(handler: HeartbeatHandler): void;
  sendHeartbeat(body: Heartbeat): boolean;
  /** Dropped input by reason, every reason present. */
  counters(): Record<string, number>;
  stats(): Record<string, PeerLinkStats>;
  local(): LocalLinkStatus;
  close(): Promise<void>;
}
