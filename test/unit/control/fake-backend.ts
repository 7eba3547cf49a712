// An in-memory ControlBackend for the control and CLI tests: a status the test can change, alerts and
// log lines it can emit, and a record of the commands it received.
import type { OperatorCommand } from '../../../src/engine/io.js';
import type {
  AlertEntry,
  ControlBackend,
  LogChunk,
  LatenessSummary,
  LogLine,
  NodeSnapshot,
  RedactedConfig,
  StatusSnapshot,
} from '../../../src/control/protocol.js';
import { PROTOCOL_VERSION } from '../../../src/control/protocol.js';

type Listener<T> = (value: T) => void;

export function healthySnapshot(): StatusSnapshot {
  const link = (rttMs: number) => ({
    id: 'lan0',
    kind: 'lan' as const,
    up: true,
    lastHeardMs: 120,
    rttMs,
    loss: 0,
  });
  return {
    protocol: PROTOCOL_VERSION,
    at: '2025-01-02T03:04:05.000Z',
    node: 's1',
    cluster: {
      name: 'demo',
      service: 'running',
      quorate: true,
      np: { verdict: 'none', reason: 'no partition: every server is up', at: null },
    },
    servers: [
      { name: 's1', state: 'up', self: true, links: [] },
      { name: 's2', state: 'up', self: false, links: [link(0.4)] },
      { name: 's3', state: 'up', self: false, links: [link(0.6)] },
    ],
    groups: [
      {
        name: 'web',
        state: 'online',
        server: 's1',
        epoch: 3,
        run: true,
        policy: ['s1', 's2', 's3'],
        local: 'online',
        resources: [{ name: 'web-service', type: 'exec', state: 'online' }],
      },
      {
        name: 'batch',
        state: 'online',
        server: 's3',
        epoch: 1,
        run: true,
        policy: ['s3', 's2'],
        local: 'offline',
        resources: [{ name: 'batch-job', type: 'exec', state: 'online' }],
      },
    ],
    monitors: [
      {
        name: 'web-pid',
        type: 'pid',
        state: 'ok',
        suspended: false,
        failures: 0,
        reactivations: 1,
        failovers: 0,
        limits: { retries: 0, reactivate: 3, failover: 1, final: 'stop-group' },
        last: { ok: true, detail: 'pid 4242 alive', at: '2025-01-02T03:04:04.000Z' },
      },
    ],
    dropped: {},
    alerts: { unacknowledged: 0, critical: 0 },
  };
}

export function alert(id: string, at: string, severity: AlertEntry['severity'] = 'warning'): AlertEntry {
  return { id, at, server: 's2', severity, kind: 'server-down', message: `alert ${id}`, ack: null };
}

export function logLine(n: number, server = 's1'): LogLine {
  return {
    at: new Date(Date.UTC(2025, 0, 2, 3, 4, n % 60)).toISOString(),
    server,
    level: 'info',
    event: `event-${n}`,
    fields: { n },
  };
}

export class FakeBackend implements ControlBackend {
  readonly serverName = 's1';
  readonly clusterName = 'demo';
  snapshot: StatusSnapshot = healthySnapshot();
  alertList: AlertEntry[] = [];
  logLines: LogLine[] = [];
  readonly commands: { command: OperatorCommand; operator: string }[] = [];
  /** What `command` answers; the default accepts everything. */
  decide: (command: OperatorCommand) => { ok: boolean; message: string } = (command) => ({
    ok: true,
    message: `accepted ${command.op}`,
  });
  /** Called after a command was accepted, to play out its effect on the status. */
  effect: (command: OperatorCommand) => void = () => undefined;
  readonly statusListeners = new Set<() => void>();
  readonly alertListeners = new Set<Listener<AlertEntry>>();
  readonly logListeners = new Set<Listener<LogLine>>();

  status(): StatusSnapshot {
    return this.snapshot;
  }

  onStatusChange(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Changes the status and tells the subscribers. */
  update(change: (snapshot: StatusSnapshot) => void): void {
    const next = structuredClone(this.snapshot);
    change(next);
    this.snapshot = next;
    for (const listener of [...this.statusListeners]) listener();
  }

  async command(command: OperatorCommand, operator: string) {
    this.commands.push({ command, operator });
    const outcome = this.decide(command);
    if (outcome.ok) this.effect(command);
    return outcome;
  }

  /** Reports received through monitor.report. */
  readonly reports: { monitor: string; ok: boolean; text: string; operator: string }[] = [];

  async report(monitor: string, ok: boolean, text: string, operator: string) {
    this.reports.push({ monitor, ok, text, operator });
    return { ok: true, message: `reported ${ok ? 'ok' : 'error'} for monitor ${monitor}` };
  }

  /** What monitors.lateness answers; resets counted in latenessResets. */
  lateness: LatenessSummary = { checks: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, deferred: 0 };
  latenessResets = 0;

  monitorLateness(reset: boolean): LatenessSummary {
    const summary = this.lateness;
    if (reset) this.latenessResets++;
    return summary;
  }

  alerts(): AlertEntry[] {
    return this.alertList;
  }

  async acknowledge(ids: string[] | 'all', operator: string, note: string): Promise<number> {
    let count = 0;
    for (const entry of this.alertList) {
      if (entry.ack !== null || (ids !== 'all' && !ids.includes(entry.id))) continue;
      entry.ack = { by: operator, at: new Date().toISOString(), note };
      count++;
    }
    return count;
  }

  onAlert(listener: Listener<AlertEntry>): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  emitAlert(entry: AlertEntry): void {
    this.alertList.push(entry);
    for (const listener of [...this.alertListeners]) listener(entry);
  }

  async logTail(node: string | undefined, lines: number): Promise<LogLine[]> {
    if (node !== undefined && node !== this.serverName) {
      throw Object.assign(new Error(`server ${node} cannot be reached`), { code: 1003 });
    }
    return lines === 0 ? [] : this.logLines.slice(-lines);
  }

  onLog(listener: Listener<LogLine>): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** Bytes per logs.collect piece (small, so tests see several pieces). */
  chunkBytes = 64;

  async logChunk(node: string | undefined, offset: number): Promise<LogChunk> {
    if (node !== undefined && node !== this.serverName) {
      throw Object.assign(new Error(`server ${node} cannot be reached`), { code: 1003 });
    }
    const whole = Buffer.from(this.logLines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const bytes = whole.subarray(offset, offset + this.chunkBytes);
    const end = offset + bytes.length;
    return {
      server: this.serverName,
      source: 'memory',
      offset,
      size: whole.length,
      data: bytes.toString('base64'),
      next: end < whole.length ? end : null,
    };
  }

  async nodeSnapshot(node: string | undefined): Promise<NodeSnapshot> {
    if (node !== undefined && node !== this.serverName) {
      throw Object.assign(new Error(`server ${node} cannot be reached`), { code: 1003 });
    }
    return { server: this.serverName, status: this.snapshot, alerts: this.alertList, alertsLeftOut: 0 };
  }

  async redactedConfig(): Promise<RedactedConfig> {
    return { server: this.serverName, yaml: 'cluster:\n  name: demo\n', redacted: [] };
  }

  emitLog(line: LogLine): void {
    this.logLines.push(line);
    for (const listener of [...this.logListeners]) listener(line);
  }
}
