// What the console knows: per node its connection state and the latest data it sent.
import type { NodeProgress } from '../../collect/collect.js';
import type { AlertEntry, LogLine, StatusSnapshot } from '../../control/protocol.js';
import type { OperatorCommand } from '../../engine/io.js';
import type { DrillRequest, DrillState } from '../../drills/types.js';

export type ConnectionState =
  { kind: 'connecting' } | { kind: 'connected' } | { kind: 'unreachable'; reason: string };

export interface NodeData {
  name: string;
  where: string;
  connection: ConnectionState;
  /** The last status the node sent (kept, marked stale, while it is unreachable). */
  status: StatusSnapshot | undefined;
  alerts: AlertEntry[];
  logs: LogLine[];
}

export interface ConsoleData {
  /** Changes on every update (React uses it to know something changed). */
  version: number;
  nodes: NodeData[];
}

/** What the console can ask the cluster to do. */
export type ClusterRequest =
  { kind: 'command'; command: OperatorCommand } | { kind: 'ack'; ids: string[] | 'all' };

/** Where the console's data comes from: live feeds, or a fixed picture in tests and benchmarks. */
export interface ConsoleStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ConsoleData;
  /** Sends through a connected node (the one whose view is shown); resolves with the agent's answer. */
  send(request: ClusterRequest): Promise<string>;
  /** :collect: every server's logs into a bundle file, through a connected node; absent: not offered. */
  collect?(onProgress: (progress: NodeProgress) => void): Promise<CollectOutcome>;
  /** Failover drills through a connected node; absent: not offered. */
  drill?: DrillCalls;
  close(): void;
}

/** The drill calls of the control API, and writing the report (returns the Markdown file's path). */
export interface DrillCalls {
  start(request: DrillRequest): Promise<DrillState>;
  get(id: string): Promise<DrillState>;
  stop(id: string): Promise<DrillState>;
  save(drill: DrillState): string;
}

/** What :collect wrote. */
export interface CollectOutcome {
  path: string;
  collected: number;
  total: number;
  failed: { name: string; reason: string }[];
}
