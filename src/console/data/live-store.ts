// Live data: one feed per node (status, alerts and log subscriptions over its ControlClient), each
// reconnecting on its own; the store merges their states into one immutable snapshot per change.
import type { NodeProgress } from '../../collect/collect.js';
import { collectToFile } from '../../collect/to-file.js';
import { writeReport } from '../../drills/report.js';
import type { ControlClient } from '../../control/client.js';
import type { AlertEntry, LogLine } from '../../control/protocol.js';
import type { NodeSource } from './node-source.js';
import type {
  ClusterRequest,
  CollectOutcome,
  ConsoleData,
  ConsoleStore,
  DrillCalls,
  NodeData,
} from './types.js';

const RETRY_MS = 1000;
const MAX_LOG_LINES = 1000;
const LOG_BACKLOG = 200;

class NodeFeed {
  data: NodeData;
  client: ControlClient | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: NodeSource,
    private readonly changed: () => void,
  ) {
    this.data = {
      name: source.name,
      where: source.where,
      connection: { kind: 'connecting' },
      status: undefined,
      alerts: [],
      logs: [],
    };
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.client?.close();
  }

  private update(patch: Partial<NodeData>): void {
    this.data = { ...this.data, ...patch };
    this.changed();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    if (this.data.connection.kind !== 'connecting') this.update({ connection: { kind: 'connecting' } });
    let client: ControlClient;
    try {
      client = await this.source.connect();
    } catch (error) {
      return this.lost((error as Error).message);
    }
    if (this.stopped) return client.close();
    this.client = client;
    client.on('close', (reason) => {
      this.client = undefined;
      this.lost(reason?.message ?? 'connection closed');
    });
    client.on('status', (status) => this.update({ status, name: status.node }));
    client.on('alert', (alert) => this.update({ alerts: upsert(this.data.alerts, alert) }));
    client.on('log', (line) => this.update({ logs: appendLogs(this.data.logs, [line]) }));
    try {
      const [status, alerts] = await Promise.all([
        client.call('status.subscribe', {}),
        client.call('alerts.subscribe', {}),
      ]);
      this.update({ status, alerts, name: status.node, connection: { kind: 'connected' } });
      const lines = await client.call('logs.tail', { lines: LOG_BACKLOG, follow: true }).catch(() => []);
      this.update({ logs: appendLogs([], lines) });
    } catch (error) {
      client.close();
      this.lost((error as Error).message);
    }
  }

  private lost(reason: string): void {
    if (this.stopped) return;
    if (this.data.connection.kind !== 'unreachable' || this.data.connection.reason !== reason)
      this.update({ connection: { kind: 'unreachable', reason } });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), RETRY_MS);
  }
}

function upsert(alerts: AlertEntry[], alert: AlertEntry): AlertEntry[] {
  const index = alerts.findIndex((entry) => entry.id === alert.id);
  if (index < 0) return [...alerts, alert];
  const next = alerts.slice();
  next[index] = alert;
  return next;
}

function appendLogs(logs: LogLine[], lines: LogLine[]): LogLine[] {
  const next = logs.concat(lines);
  return next.length > MAX_LOG_LINES ? next.slice(next.length - MAX_LOG_LINES) : next;
}

export class LiveStore implements ConsoleStore {
  private readonly feeds: NodeFeed[];
  private readonly listeners = new Set<() => void>();
  private data: ConsoleData;
  private notifying: NodeJS.Immediate | undefined;

  /** `collectDir`: where :collect writes its bundle (default: the current directory). */
  constructor(
    sources: NodeSource[],
    private readonly options: { collectDir?: string } = {},
  ) {
    this.feeds = sources.map((source) => new NodeFeed(source, () => this.refresh()));
    this.data = { version: 0, nodes: this.feeds.map((feed) => feed.data) };
    for (const feed of this.feeds) feed.start();
  }

  private refresh(): void {
    this.data = { version: this.data.version + 1, nodes: this.feeds.map((feed) => feed.data) };
    // Messages read together (a status and the log lines after it, alerts of one incident) make one
    // render, not one each: the listeners hear once, after the messages already read.
    this.notifying ??= setImmediate(() => {
      this.notifying = undefined;
      for (const listener of [...this.listeners]) listener();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getSnapshot(): ConsoleData {
    return this.data;
  }

  private connectedClient(): ControlClient {
    const feed = this.feeds.find(
      (candidate) => candidate.client && candidate.data.connection.kind === 'connected',
    );
    if (!feed?.client) throw new Error('no node of the cluster is reachable from this console');
    return feed.client;
  }

  readonly drill: DrillCalls = {
    start: (request) => this.connectedClient().call('drill.start', request),
    get: (id) => this.connectedClient().call('drill.get', { id }),
    stop: (id) => this.connectedClient().call('drill.stop', { id }),
    save: (drill) => writeReport(drill, this.options.collectDir ?? process.cwd()).markdown,
  };

  async collect(onProgress: (progress: NodeProgress) => void): Promise<CollectOutcome> {
    const { path, collection } = await collectToFile(this.connectedClient(), {
      tool: 'vigil console :collect',
      onProgress,
      ...(this.options.collectDir !== undefined ? { dir: this.options.collectDir } : {}),
    });
    const { nodes, failed } = collection.manifest;
    return { path, collected: collection.collected, total: nodes.length, failed };
  }

  async send(request: ClusterRequest): Promise<string> {
    const client = this.connectedClient();
    if (request.kind === 'ack') {
      const { acknowledged } = await client.call('alerts.ack', { ids: request.ids });
      return `acknowledged ${acknowledged} alert${acknowledged === 1 ? '' : 's'}`;
    }
    const { message } = await client.call('command', { command: request.command });
    return message;
  }

  close(): void {
    for (const feed of this.feeds) feed.stop();
    clearImmediate(this.notifying);
    this.listeners.clear();
  }
}
