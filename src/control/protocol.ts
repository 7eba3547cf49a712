// The control API: JSON-RPC 2.0, one JSON object per line, over a unix socket (and, later, the
// agent's SSH endpoint). Every client — CLI, console, tests — speaks only this.
import type {
  AlertSeverity,
  GroupState,
  LocalGroupState,
  MonitorState,
  OperatorCommand,
} from '../engine/io.js';
import type { FinalAction } from '../engine/model.js';
import type { DrillRequest, DrillState } from '../drills/types.js';
import type { LatenessSummary } from '../monitors/lateness.js';

export type { LatenessSummary } from '../monitors/lateness.js';

/** 2 added logs.collect, logs.snapshot and config.get (log collection). */
export const PROTOCOL_VERSION = 2;

/** JSON-RPC error codes: the standard ones, then vigil's own. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The cluster refused the command; the message says why and what to do. */
  Refused: 1001,
  /** The caller's role does not allow this method. */
  Forbidden: 1002,
  /** A server the call needs cannot be reached. */
  Unreachable: 1003,
  /** The client speaks another protocol version. */
  VersionMismatch: 1004,
} as const;

export type ServerState = 'up' | 'down' | 'stopped' | 'suspended' | 'fenced';

export interface LinkStatus {
  id: string;
  kind: 'lan' | 'com' | 'disk';
  up: boolean;
  /** Milliseconds since the last valid heartbeat on this link, null if never. */
  lastHeardMs: number | null;
  rttMs: number | null;
  /** Share of expected heartbeats missed recently, 0..1, null if unknown. */
  loss: number | null;
}

/** This server's own end of one heartbeat link: whether it can send and receive, and its counters. */
export interface LinkEndStatus {
  id: string;
  kind: 'lan' | 'com' | 'disk';
  state: 'up' | 'opening' | 'reopening' | 'stalled' | 'closed';
  /** Address and port, serial device and baud rate, or shared disk path. */
  endpoint: string;
  /** Frames in and out, CRC and HMAC failures, reopens, stalls ... by name. */
  counters: Record<string, number>;
  detail?: string;
}

/** The peer channel (TLS over the LAN) to one peer: on which interconnect it runs now. */
export interface PeerChannelStatus {
  peer: string;
  state: 'connected' | 'down';
  /** lan0, lan1 ... while connected. */
  via: string | null;
}

export interface StatusSnapshot {
  protocol: number;
  /** ISO time on the answering server. */
  at: string;
  /** The server that answered: every agent answers for the whole cluster as it sees it. */
  node: string;
  cluster: {
    name: string;
    service: 'running' | 'stopped' | 'suspended' | 'fenced';
    quorate: boolean;
    np: { verdict: 'win' | 'lose' | 'none'; reason: string; at: string | null };
  };
  servers: {
    name: string;
    state: ServerState;
    self: boolean;
    /** Health score 0-100 from the server's monitors; null when unknown (down, older agent). */
    health?: number | null;
    links: LinkStatus[];
  }[];
  groups: {
    name: string;
    state: GroupState;
    server: string | null;
    epoch: number;
    run: boolean;
    policy: string[];
    /** This server's own state for the group. */
    local: LocalGroupState;
    resources: { name: string; type: string; state: string }[];
  }[];
  monitors: {
    name: string;
    type: string;
    state: MonitorState;
    suspended: boolean;
    failures: number;
    reactivations: number;
    failovers: number;
    limits: { retries: number; reactivate: number; failover: number; final: FinalAction };
    last: { ok: boolean; detail: string; at: string } | null;
    /** Set on the server where a drill's dummy failure makes the monitor report an error. */
    dummyFailure?: boolean;
  }[];
  /** Dropped inter-node frames by reason (forged, replayed, stale, truncated, oversized, unknown-sender …). */
  dropped: Record<string, number>;
  alerts: { unacknowledged: number; critical: number };
  /** This server's ends of its heartbeat links (absent from agents before links reported them). */
  linkEnds?: LinkEndStatus[];
  /** The peer channel to each peer (absent from older agents). */
  peerChannels?: PeerChannelStatus[];
}

export interface AlertEntry {
  id: string;
  at: string;
  server: string;
  severity: AlertSeverity;
  kind: string;
  message: string;
  ack: { by: string; at: string; note: string } | null;
}

export interface LogLine {
  /** ISO time. */
  at: string;
  server: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  event: string;
  fields: Record<string, unknown>;
}

/** One piece of a server's whole log, for `vigil logs collect`. */
export interface LogChunk {
  server: string;
  /** file: the agent's JSON-lines log file; memory: its in-memory buffer (it logs to no file). */
  source: 'file' | 'memory';
  /** Byte offset of this piece in the log, and the log's size when it was read. */
  offset: number;
  size: number;
  /** The bytes, base64 (a piece may end inside a line or a UTF-8 character). */
  data: string;
  /** Offset of the next piece; null when this one reaches the end. */
  next: number | null;
}

/** What one server says about itself at collection time. */
export interface NodeSnapshot {
  server: string;
  status: StatusSnapshot;
  /** Its alerts, newest kept when there are too many for one message. */
  alerts: AlertEntry[];
  /** How many of its oldest alerts were left out to keep the message under the line limit. */
  alertsLeftOut: number;
}

/** The cluster config as the agent loaded it, as YAML, with secret-like values replaced. */
export interface RedactedConfig {
  server: string;
  yaml: string;
  /** What was replaced: config paths and why, e.g. "alerts[0].url: path and query (may hold a token)". */
  redacted: string[];
}

/** Methods, their params and results. Commands map onto the engine's operator commands. */
export interface Methods {
  hello: {
    params: { protocol: number; client?: string };
    result: { protocol: number; server: string; cluster: string };
  };
  'status.get': { params: Record<string, never>; result: StatusSnapshot };
  /** Result is the first snapshot; then notifications `status` with a full snapshot on every change. */
  'status.subscribe': { params: Record<string, never>; result: StatusSnapshot };
  command: { params: { command: OperatorCommand }; result: { message: string } };
  'alerts.list': { params: { unacknowledgedOnly?: boolean }; result: AlertEntry[] };
  'alerts.ack': { params: { ids: string[] | 'all'; note?: string }; result: { acknowledged: number } };
  /** Result is the current list; then notifications `alert` with each new or changed entry. */
  'alerts.subscribe': { params: Record<string, never>; result: AlertEntry[] };
  /** The last `lines` log lines of one server (default: the answering one); `follow` adds notifications `log`. */
  'logs.tail': { params: { node?: string; lines?: number; follow?: boolean }; result: LogLine[] };
  /** A piece of the whole log of one server (default: the answering one) from byte `offset` (default 0). */
  'logs.collect': { params: { node?: string; offset?: number }; result: LogChunk };
  /** Status and alerts as one server (default: the answering one) sees them. */
  'logs.snapshot': { params: { node?: string }; result: NodeSnapshot };
  /** The cluster config without secrets. */
  'config.get': { params: Record<string, never>; result: RedactedConfig };
  /** An outside tool's result for a message monitor on the answering server (`vigil report`). */
  'monitor.report': { params: { monitor: string; ok: boolean; text?: string }; result: { message: string } };
  /** Switches a monitor's dummy failure on (where its group is active, or `server`) or off (everywhere). */
  'monitor.dummy-failure': {
    params: { monitor: string; on: boolean; server?: string };
    result: { message: string };
  };
  /** Starts a failover drill; follow it with drill.get. */
  'drill.start': { params: DrillRequest; result: DrillState };
  /** Takes the drill's fault back now. */
  'drill.stop': { params: { id: string }; result: DrillState };
  /** The drill's state and live timeline. */
  'drill.get': { params: { id: string }; result: DrillState };
  /** How late scheduled monitor checks started on the answering server; `reset` starts a new count after reading. */
  'monitors.lateness': { params: { reset?: boolean }; result: LatenessSummary };
}

export type MethodName = keyof Methods;

export interface Notifications {
  status: StatusSnapshot;
  alert: AlertEntry;
  log: LogLine;
}

/** What the control server needs from the agent; the agent implements it, tests may fake it. */
export interface ControlBackend {
  readonly serverName: string;
  readonly clusterName: string;
  status(): StatusSnapshot;
  /** Called after anything in the status may have changed; returns an unsubscribe function. */
  onStatusChange(listener: () => void): () => void;
  command(command: OperatorCommand, operator: string): Promise<{ ok: boolean; message: string }>;
  alerts(): AlertEntry[];
  acknowledge(ids: string[] | 'all', operator: string, note: string): Promise<number>;
  onAlert(listener: (alert: AlertEntry) => void): () => void;
  /** Log lines of `node` (this server when undefined); throws an error with code Unreachable if it cannot. */
  logTail(node: string | undefined, lines: number): Promise<LogLine[]>;
  onLog(listener: (line: LogLine) => void): () => void;
  /** A piece of the whole log of `node` (this server when undefined); Unreachable as logTail. */
  logChunk(node: string | undefined, offset: number): Promise<LogChunk>;
  nodeSnapshot(node: string | undefined): Promise<NodeSnapshot>;
  redactedConfig(): Promise<RedactedConfig>;
  /** Records a report for a message monitor; refused (ok false) for a monitor of another type. */
  report(
    monitor: string,
    ok: boolean,
    text: string,
    operator: string,
  ): Promise<{ ok: boolean; message: string }>;
  /** Drills (absent from backends without them: the call is then refused). */
  dummyFailure?(
    monitor: string,
    on: boolean,
    server: string | undefined,
    operator: string,
  ): Promise<{ ok: boolean; message: string }>;
  drillStart?(request: DrillRequest, operator: string): Promise<DrillState>;
  drillStop?(id: string, operator: string): Promise<DrillState>;
  drillGet?(id: string): DrillState;
  /** The monitor scheduler's lateness figures; `reset` clears them after reading. */
  monitorLateness(reset: boolean): LatenessSummary;
}
