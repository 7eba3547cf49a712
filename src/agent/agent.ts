// vigild: the imperative shell around one server's engine. It owns the real clock, the links, the
// peer channel, the resource and monitor drivers, persistence and the control API, feeds the engine
// what happens and carries out what the engine decides, in order.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Engine } from '../engine/engine.js';
import type { EngineInput, EngineOutput, OperatorCommand, PersistedState } from '../engine/io.js';
import type { ClusterModel } from '../engine/model.js';
import type { PeerMessage } from '../engine/messages.js';
import type { HeartbeatLink } from '../links/link.js';
import { redactedConfigYaml } from '../collect/config-yaml.js';
import type {
  AlertEntry,
  LogChunk,
  LogLine,
  NodeSnapshot,
  RedactedConfig,
  StatusSnapshot,
} from '../control/protocol.js';
import { AlertStore, type AlertAck } from './alert-store.js';
import type { Logger, LogRecord } from './logger.js';
import { LogBuffer } from './log-buffer.js';
import { readJson, writeJsonAtomic } from './persistence.js';
import type { PeerChannel } from './peer-channel.js';
import { ResourceRunner } from './resource-runner.js';
import { buildStatus } from './status.js';
import { ReportBoard } from '../monitors/report-board.js';
import { MonitorScheduler, type LatenessSummary } from '../monitors/scheduler.js';
import type { ProcessTable } from '../resources/process-table.js';
import { NpGatherer } from './np-gatherer.js';
import { DrasticActions } from './drastic-actions.js';
import { DEFAULT_FENCE_COMMANDS } from '../config/defaults.js';
import { DrillFaults, DUMMY_FAILURE_DETAIL, type Fault } from './drill-faults.js';
import { DrillRunner } from './drill-runner.js';
import type { DrillRequest, DrillState } from '../drills/types.js';

/** Messages on the peer channel: engine traffic, and what only agents exchange. */
export type PeerEnvelope =
  | { type: 'engine'; message: PeerMessage }
  | { type: 'alerts'; alerts: AlertEntry[] }
  | { type: 'alert-ack'; ack: AlertAck };

export interface AgentParts {
  model: ClusterModel;
  self: string;
  stateDir: string;
  logger: Logger;
  logBuffer: LogBuffer;
  /** The JSON-lines log file, served whole to `vigil logs collect`; none: the buffer is served. */
  logFile?: string;
  /** The cluster config as loaded, served (without secrets) to `vigil logs collect`. */
  config?: unknown;
  links: HeartbeatLink[];
  peers: PeerChannel;
  resources: ResourceRunner;
  processes: ProcessTable;
  /** Derived from the cluster key: authenticates the witness method's requests. */
  witnessKey: Buffer;
  /** Fed on every engine tick, disarmed on a clean stop (watchdog.ts). */
  watchdog?: { feed(): void; close(): void };
  /** Shell actions the engine cannot do itself (reboot, poweroff); logged only when absent. */
  onDrasticAction?: (action: string, reason: string) => void;
}

/** Bytes of log per logs.collect piece: well under the 1 MiB line limit once base64-encoded. */
export const LOG_CHUNK_BYTES = 256 * 1024;
const PEER_REQUEST_MS = 5000;
/** A logs.snapshot answer stays under this: peer and control lines are limited to 1 MiB. */
const SNAPSHOT_BYTES = 768 * 1024;

export class Agent {
  readonly engine: Engine;
  readonly alertStore: AlertStore;
  private readonly monitors: MonitorScheduler;
  private readonly npGatherer: NpGatherer;
  private readonly drasticActions: DrasticActions;
  /** Faults drills inject here, and the drills run from here. */
  private readonly faults: DrillFaults;
  private readonly drills: DrillRunner;
  /** Reports of outside tools for message monitors (`vigil report`). */
  private readonly reports = new ReportBoard();
  private readonly statusListeners = new Set<() => void>();
  private readonly pendingReplies = new Map<string, { ok: boolean; message: string }>();
  private readonly lastResults = new Map<string, { ok: boolean; detail: string; at: Date }>();
  private readonly clockOrigin = performance.now();
  private tickTimer: NodeJS.Timeout | null = null;
  /** When the engine last got an input; ticks come every half heartbeat interval. */
  private lastFedAt: number | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private commandCount = 0;
  private stopped = false;

  constructor(
    private readonly parts: AgentParts,
    incarnation: number,
  ) {
    const persisted = readJson<PersistedState | null>(this.enginePath, null);
    this.engine = new Engine(parts.model, parts.self, {
      now: this.now(),
      incarnation,
      persisted: persisted ?? undefined,
    });
    this.alertStore = new AlertStore(join(parts.stateDir, 'alerts.json'));
    this.drasticActions = new DrasticActions(
      parts.model.partition.commands ?? DEFAULT_FENCE_COMMANDS,
      parts.logger,
    );
    this.npGatherer = new NpGatherer({
      model: parts.model,
      self: parts.self,
      witnessKey: parts.witnessKey,
      now: () => this.now(),
      feed: (facts) => this.feed({ type: 'np-facts', now: this.now(), facts }),
      comHeardAt: () => {
        const heard = parts.links
          .filter((link) => link.kind === 'com')
          .flatMap((link) => Object.values(link.stats()).map((s) => s.lastHeardAt ?? null))
          .filter((at): at is number => at !== null);
        return heard.length > 0 ? Math.max(...heard) : null;
      },
      log: (event, fields) => parts.logger.warn(event, fields),
    });
    this.monitors = new MonitorScheduler({
      monitors: parts.model.monitors,
      processes: parts.processes,
      logger: parts.logger,
      peers: {
        stateOf: (name) => {
          const tracker = this.engine.monitors.get(name);
          if (!tracker) return undefined;
          return this.engine.intents.monitorSuspended(name) ? 'suspended' : tracker.state;
        },
        lastReport: (name) => this.reports.last(name),
        onReport: (name, listener) => this.reports.on(name, listener),
      },
      onResult: (monitor, checkOk, checkDetail, warning) => {
        // A drill's dummy failure replaces the real result until it is taken back.
        const dummy = this.faults.hasDummyFailure(monitor);
        const ok = dummy ? false : checkOk;
        const detail = dummy ? DUMMY_FAILURE_DETAIL : checkDetail;
        this.lastResults.set(monitor, { ok, detail, at: new Date() });
        this.feed({
          type: 'monitor-result',
          now: this.now(),
          monitor,
          ok,
          detail,
          ...(warning && !dummy ? { warning } : {}),
        });
      },
    });
    this.faults = new DrillFaults(parts.logger, parts.stateDir);
    this.drills = new DrillRunner({
      self: parts.self,
      model: parts.model,
      logger: parts.logger,
      view: () => this.engine.view(),
      applyFault: (server, fault) => this.applyFault(server, fault),
      revertFault: async (server, drill) => {
        await this.onServer(server, { type: 'drill-revert', drill });
      },
      logTail: (server, lines) => this.logTail(server, lines),
      snapshot: (server) => this.nodeSnapshot(server),
    });
  }

  get serverName(): string {
    return this.parts.self;
  }

  get clusterName(): string {
    return this.parts.model.name;
  }

  private get enginePath(): string {
    return join(this.parts.stateDir, 'engine.json');
  }

  /** Engine time: a monotonic millisecond clock, immune to wall-clock steps. */
  private now(): number {
    return Math.round(performance.now() - this.clockOrigin);
  }

  private wallTime(engineMs: number): Date {
    return new Date(Date.now() - (this.now() - engineMs));
  }

  start(): void {
    const { links, peers, model } = this.parts;
    for (const link of links) {
      link.onHeartbeat((from, linkId, body) => {
        if (this.faults.heartbeatsMuted) return; // a heartbeat-loss drill
        this.feed({ type: 'message', now: this.now(), from, link: linkId, message: body });
      });
    }
    peers.onMessage((from, envelope) => this.onPeerMessage(from, envelope as PeerEnvelope));
    peers.onPeerState((peer, state) => {
      if (state === 'connected')
        peers.send(peer, { type: 'alerts', alerts: this.alertStore.list() } satisfies PeerEnvelope);
    });
    peers.onRequest(async (_from, body) => this.onPeerRequest(body));
    this.alertStore.onChange(() => this.notifyStatus());
    const tickMs = Math.max(10, Math.floor(model.timing.heartbeatIntervalMs / 2));
    this.tickTimer = setInterval(() => {
      this.feed({ type: 'tick', now: this.now() });
      this.parts.watchdog?.feed();
    }, tickMs);
    // Link times and RTT change continuously: refresh subscribers once a second even when idle.
    this.statusTimer = setInterval(() => this.notifyStatus(), 1000);
    this.feed({ type: 'tick', now: this.now() });
    this.parts.logger.info('agent-started', {
      server: this.parts.self,
      incarnation: this.engine.incarnation,
    });
  }

  /**
   * A clean stop: the engine stops this server's groups and reports them offline, so peers take
   * them over at once instead of waiting for the takeover delay; whatever is left is then stopped
   * or killed directly.
   */
  async stop(deadlineMs = this.shutdownDeadlineMs()): Promise<void> {
    if (this.stopped) return;
    this.drills.close();
    this.faults.revertAll('agent stopping');
    this.feed({ type: 'shutdown', now: this.now() });
    const end = Date.now() + deadlineMs;
    while (Date.now() < end && this.engine.view().resources.some((r) => r.state !== 'offline')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.feed({ type: 'tick', now: this.now() });
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.monitors.close();
    await this.parts.resources.stopAll(this.engine.view().resources, 'agent stopping');
    this.npGatherer.stop();
    await Promise.all(this.parts.links.map((link) => link.close()));
    await this.parts.peers.close();
    this.parts.watchdog?.close();
    this.parts.logger.info('agent-stopped', { server: this.parts.self });
  }

  /** Long enough for every group to stop in dependency order. */
  private shutdownDeadlineMs(): number {
    const stops = this.parts.model.groups.map((g) =>
      g.resources.reduce((sum, r) => sum + r.stopTimeoutMs, 0),
    );
    return Math.max(0, ...stops) + 2000;
  }

  // ---- driving the engine ----------------------------------------------------------------------

  private feed(input: EngineInput): void {
    if (this.stopped) return;
    // Nothing ran for longer than a heartbeat timeout (SIGSTOP, a blocked event loop): before this
    // input or anything else, the engine fences, since peers may have taken the groups over.
    const gapMs = input.now - (this.lastFedAt ?? input.now);
    this.lastFedAt = Math.max(this.lastFedAt ?? input.now, input.now);
    if (gapMs > this.parts.model.timing.heartbeatTimeoutMs && input.type !== 'stalled') {
      this.parts.logger.error('agent-stalled', { gapMs: Math.round(gapMs) });
      this.feed({ type: 'stalled', now: input.now, gapMs });
    }
    let outputs: EngineOutput[];
    try {
      outputs = this.engine.step(input);
    } catch (error) {
      // An engine exception is a bug; keep the agent alive and visible rather than die holding groups.
      this.parts.logger.once(`engine-${input.type}`, 'error', 'engine-error', {
        input: input.type,
        error: String(error),
      });
      return;
    }
    let changed = false;
    for (const output of outputs) changed = this.carryOut(output) || changed;
    if (changed) this.notifyStatus();
  }

  /** Carries out one engine output; returns whether the status may have changed. */
  private carryOut(output: EngineOutput): boolean {
    const { logger, links, peers, resources } = this.parts;
    const monitors = this.monitors;
    switch (output.type) {
      case 'send':
        if (output.message.kind === 'heartbeat') {
          if (this.faults.heartbeatsMuted) return false; // a heartbeat-loss drill
          for (const link of links) link.sendHeartbeat(output.message);
          return false;
        }
        if (output.to === '*')
          peers.broadcast({ type: 'engine', message: output.message } satisfies PeerEnvelope);
        else peers.send(output.to, { type: 'engine', message: output.message } satisfies PeerEnvelope);
        return false;
      case 'persist':
        writeJsonAtomic(this.enginePath, output.state);
        return false;
      case 'start-resource':
      case 'stop-resource': {
        const action = output.type === 'start-resource' ? 'start' : 'stop';
        void resources.run(action, output).then((result) =>
          this.feed({
            type: 'resource-done',
            now: this.now(),
            group: output.group,
            resource: output.resource,
            action,
            ...result,
          }),
        );
        return true;
      }
      case 'fence':
        logger.error('fence', { reason: output.reason, action: output.action, groups: output.groups });
        void resources.killGroups(output.groups);
        if (output.action !== 'stop-service') this.drastic(output.action, output.reason);
        return true;
      case 'final-action':
        this.drastic(output.action, output.reason);
        return true;
      case 'monitors':
        monitors.setActive(output.active);
        return true;
      case 'np-resolve':
        logger.log(
          output.active ? 'warn' : 'info',
          output.active ? 'np-resolution-begins' : 'np-resolution-ends',
          {},
        );
        this.npGatherer.resolve(output.active, output.holding);
        return true;
      case 'alert': {
        const entry = AlertStore.fromEngine(output.alert, this.wallTime(output.alert.at));
        this.alertStore.merge([entry]);
        peers.broadcast({ type: 'alerts', alerts: [entry] } satisfies PeerEnvelope);
        logger.log(
          output.alert.severity === 'critical'
            ? 'error'
            : output.alert.severity === 'warning'
              ? 'warn'
              : 'info',
          'alert',
          {
            id: entry.id,
            kind: entry.kind,
            message: entry.message,
          },
        );
        return true;
      }
      case 'reply':
        this.pendingReplies.set(output.id, { ok: output.ok, message: output.message });
        return false;
      case 'log':
        logger.log(output.level, output.event, output.fields);
        return false;
    }
  }

  private drastic(action: string, reason: string): void {
    if (this.parts.onDrasticAction) this.parts.onDrasticAction(action, reason);
    else if (action === 'reboot' || action === 'poweroff') void this.drasticActions.run(action, reason);
    else this.parts.logger.error('drastic-action-not-configured', { action, reason });
  }

  private onPeerMessage(from: string, envelope: PeerEnvelope): void {
    switch (envelope?.type) {
      case 'engine':
        this.feed({ type: 'message', now: this.now(), from, link: 'peer', message: envelope.message });
        return;
      case 'alerts':
        if (Array.isArray(envelope.alerts)) this.alertStore.merge(envelope.alerts);
        return;
      case 'alert-ack':
        if (envelope.ack && Array.isArray(envelope.ack.ids)) this.alertStore.applyAck(envelope.ack);
        return;
      default:
        this.parts.logger.once('peer-envelope', 'warn', 'unknown-peer-message', { from });
    }
  }

  private async onPeerRequest(body: unknown): Promise<unknown> {
    const request = body as { type?: string; lines?: number; offset?: number; fault?: Fault; drill?: string };
    if (request?.type === 'drill-fault' && request.fault) return this.faults.apply(request.fault);
    if (request?.type === 'drill-revert') return this.revertLocal(request);
    if (request?.type === 'log-tail')
      return this.localLogLines(Math.min(10_000, Math.max(0, Number(request.lines) || 100)));
    if (request?.type === 'log-chunk') return this.localLogChunk(Math.max(0, Number(request.offset) || 0));
    if (request?.type === 'snapshot') return this.localSnapshot();
    throw new Error(`unknown request ${String(request?.type)}`);
  }

  // ---- the control backend ----------------------------------------------------------------------

  status(): StatusSnapshot {
    const dropped: Record<string, number> = {};
    for (const link of this.parts.links) {
      for (const [reason, count] of Object.entries(link.counters()))
        if (count > 0) dropped[reason] = (dropped[reason] ?? 0) + count;
    }
    for (const [reason, count] of Object.entries(this.parts.peers.counters())) {
      if (count > 0) dropped[`peer-${reason}`] = (dropped[`peer-${reason}`] ?? 0) + count;
    }
    const status = buildStatus({
      model: this.parts.model,
      view: this.engine.view(),
      wallTime: (ms) => this.wallTime(ms),
      linkStats: (peer, linkId) => {
        const stats = this.parts.links.find((l) => l.id === linkId)?.stats()[peer];
        return stats ? { rttMs: stats.rttMs, loss: stats.loss } : null;
      },
      dropped,
      lastResults: this.lastResults,
      alerts: this.alertStore.counts(),
      linkEnds: this.parts.links.map((link) => link.local()),
      peerChannels: this.parts.peers.statuses(),
    });
    for (const monitor of status.monitors)
      if (this.faults.hasDummyFailure(monitor.name)) monitor.dummyFailure = true;
    return status;
  }

  // ---- drills --------------------------------------------------------------------------------------

  /** Runs `request` on `server`: here directly, elsewhere over the peer channel. */
  private async onServer(
    server: string,
    request: { type: string; [key: string]: unknown },
  ): Promise<unknown> {
    if (server === this.parts.self) return this.onPeerRequest(request);
    this.checkServer(server);
    return this.parts.peers.request(server, request, PEER_REQUEST_MS);
  }

  private async applyFault(server: string, fault: Fault): Promise<string> {
    return (await this.onServer(server, { type: 'drill-fault', fault })) as string;
  }

  private revertLocal(request: { drill?: string; monitor?: string }): number {
    if (typeof request.drill === 'string') return this.faults.revertDrill(request.drill, 'on demand');
    if (typeof (request as { monitor?: unknown }).monitor === 'string')
      return this.faults.revertDummy(request.monitor as string, 'switched off');
    return 0;
  }

  async drillStart(request: DrillRequest, operator: string): Promise<DrillState> {
    const state = await this.drills.start(request, operator);
    this.audit(operator, 'drill.start', request, true, state.id);
    return state;
  }

  async drillStop(id: string, operator: string): Promise<DrillState> {
    const state = await this.drills.stop(id, operator);
    this.audit(operator, 'drill.stop', { id }, true, state.state);
    return state;
  }

  drillGet(id: string): DrillState {
    return this.drills.get(id);
  }

  /**
   * `vigil monitor dummy-failure`: on, on the server where the monitor's group is active (or
   * `server`); off, on every server that answers.
   */
  async dummyFailure(monitor: string, on: boolean, server: string | undefined, operator: string) {
    const model = this.parts.model.monitors.find((m) => m.name === monitor);
    let reply: { ok: boolean; message: string };
    if (!model) {
      reply = {
        ok: false,
        message: `no monitor ${monitor}; monitors: ${this.parts.model.monitors.map((m) => m.name).join(', ')}`,
      };
    } else if (on) {
      const group = model.recovery.target.group;
      const where = server ?? this.engine.view().groups.find((g) => g.name === group)?.server ?? undefined;
      if (where === undefined) {
        reply = {
          ok: false,
          message: `group ${group} of ${monitor} is not active anywhere; name a server with --server`,
        };
      } else {
        await this.applyFault(where, {
          drill: 'manual',
          kind: 'dummy-failure',
          target: monitor,
          durationMs: 0,
        });
        reply = {
          ok: true,
          message: `monitor ${monitor} reports "${DUMMY_FAILURE_DETAIL}" on ${where} until switched off`,
        };
      }
    } else {
      const cleared: string[] = [];
      for (const s of this.parts.model.servers) {
        const count = await this.onServer(s.name, { type: 'drill-revert', monitor }).catch(() => 0);
        if (Number(count) > 0) cleared.push(s.name);
      }
      reply = {
        ok: true,
        message: cleared.length
          ? `dummy failure of ${monitor} switched off on ${cleared.join(', ')}`
          : `monitor ${monitor} had no dummy failure on any server that answered`,
      };
    }
    this.audit(operator, 'monitor.dummy-failure', { monitor, on, server }, reply.ok, reply.message);
    return reply;
  }

  onStatusChange(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private notifyStatus(): void {
    for (const listener of this.statusListeners) listener();
  }

  async command(command: OperatorCommand, operator: string): Promise<{ ok: boolean; message: string }> {
    const id = `${this.parts.self}-cmd-${++this.commandCount}`;
    this.feed({ type: 'operator', now: this.now(), id, operator, command });
    const reply = this.pendingReplies.get(id) ?? { ok: false, message: 'the agent is stopping' };
    this.pendingReplies.delete(id);
    this.audit(operator, command.op, command, reply.ok, reply.message);
    return reply;
  }

  async report(monitor: string, ok: boolean, text: string, operator: string) {
    const model = this.parts.model.monitors.find((candidate) => candidate.name === monitor);
    let reply: { ok: boolean; message: string };
    if (!model) {
      const names = this.parts.model.monitors.filter((m) => m.type === 'message').map((m) => m.name);
      reply = {
        ok: false,
        message: `no monitor ${monitor}; message monitors: ${names.join(', ') || 'none'}`,
      };
    } else if (model.type !== 'message') {
      reply = {
        ok: false,
        message: `monitor ${monitor} is of type ${model.type}; only message monitors take reports`,
      };
    } else {
      this.reports.report(monitor, ok, text, operator);
      reply = {
        ok: true,
        message: `reported ${ok ? 'ok' : 'error'} for monitor ${monitor} on ${this.parts.self}`,
      };
    }
    this.audit(operator, 'monitor.report', { monitor, ok, text }, reply.ok, reply.message);
    return reply;
  }

  monitorLateness(reset: boolean): LatenessSummary {
    const summary = this.monitors.lateness();
    if (reset) this.monitors.resetLateness();
    return summary;
  }

  alerts(): AlertEntry[] {
    return this.alertStore.list();
  }

  async acknowledge(ids: string[] | 'all', operator: string, note: string): Promise<number> {
    if (ids !== 'all') {
      const unknown = this.alertStore.unknownIds(ids);
      if (unknown.length > 0) throw new Error(`no alert ${unknown.join(', ')}; see vigil alerts`);
    }
    const ack = this.alertStore.acknowledge(ids, operator, note);
    this.parts.peers.broadcast({ type: 'alert-ack', ack } satisfies PeerEnvelope);
    this.audit(operator, 'alerts.ack', { ids, note }, true, `${ack.ids.length} acknowledged`);
    return ack.ids.length;
  }

  onAlert(listener: (alert: AlertEntry) => void): () => void {
    return this.alertStore.onChange(listener);
  }

  async logTail(node: string | undefined, lines: number): Promise<LogLine[]> {
    if (node === undefined || node === this.parts.self) return this.localLogLines(lines);
    this.checkServer(node);
    return (await this.parts.peers.request(node, { type: 'log-tail', lines }, PEER_REQUEST_MS)) as LogLine[];
  }

  async logChunk(node: string | undefined, offset: number): Promise<LogChunk> {
    if (node === undefined || node === this.parts.self) return this.localLogChunk(offset);
    this.checkServer(node);
    return (await this.parts.peers.request(node, { type: 'log-chunk', offset }, PEER_REQUEST_MS)) as LogChunk;
  }

  async nodeSnapshot(node: string | undefined): Promise<NodeSnapshot> {
    if (node === undefined || node === this.parts.self) return this.localSnapshot();
    this.checkServer(node);
    return (await this.parts.peers.request(node, { type: 'snapshot' }, PEER_REQUEST_MS)) as NodeSnapshot;
  }

  redactedConfig(): Promise<RedactedConfig> {
    if (this.parts.config === undefined)
      throw new Error(`vigild on ${this.parts.self} was started without its config; it cannot serve it`);
    return redactedConfigYaml(this.parts.config, this.parts.self);
  }

  private checkServer(node: string): void {
    if (!this.parts.model.servers.some((s) => s.name === node))
      throw new Error(
        `no server ${node}; servers: ${this.parts.model.servers.map((s) => s.name).join(', ')}`,
      );
  }

  /** Status and alerts; the oldest alerts are left out when all would not fit in one message. */
  private localSnapshot(): NodeSnapshot {
    const status = this.status();
    const all = this.alertStore.list();
    let room = SNAPSHOT_BYTES - Buffer.byteLength(JSON.stringify(status));
    let kept = 0;
    const newestFirst = [...all].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    for (const alert of newestFirst) {
      room -= Buffer.byteLength(JSON.stringify(alert)) + 1;
      if (room < 0) break;
      kept++;
    }
    const alerts = newestFirst.slice(0, kept).reverse();
    return { server: this.parts.self, status, alerts, alertsLeftOut: all.length - kept };
  }

  /** A piece of the log file from `offset` (the buffered records as JSON lines when there is no file). */
  private localLogChunk(offset: number): LogChunk {
    const server = this.parts.self;
    if (this.parts.logFile === undefined) {
      const whole = Buffer.from(
        this.parts.logBuffer
          .tail(Number.MAX_SAFE_INTEGER)
          .map((record) => `${JSON.stringify(record)}\n`)
          .join(''),
      );
      return chunkOf(
        server,
        'memory',
        whole.length,
        offset,
        whole.subarray(offset, offset + LOG_CHUNK_BYTES),
      );
    }
    let fd: number;
    try {
      fd = openSync(this.parts.logFile, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return chunkOf(server, 'file', 0, 0, Buffer.alloc(0));
      throw new Error(`cannot read the log file ${this.parts.logFile}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      const size = fstatSync(fd).size;
      const start = Math.min(offset, size);
      const buffer = Buffer.alloc(Math.min(LOG_CHUNK_BYTES, size - start));
      const read = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, start) : 0;
      return chunkOf(server, 'file', size, start, buffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
  }

  onLog(listener: (line: LogLine) => void): () => void {
    return this.parts.logBuffer.onRecord((record) => listener(this.toLogLine(record)));
  }

  private localLogLines(lines: number): LogLine[] {
    return this.parts.logBuffer.tail(lines).map((record) => this.toLogLine(record));
  }

  private toLogLine(record: LogRecord): LogLine {
    return {
      at: record.at,
      server: this.parts.self,
      level: record.level,
      event: record.event,
      fields: record.fields,
    };
  }

  private audit(operator: string, call: string, params: unknown, ok: boolean, result: string): void {
    this.parts.logger.info('audit', { operator, call, params, ok, result });
  }
}

function chunkOf(
  server: string,
  source: LogChunk['source'],
  size: number,
  offset: number,
  bytes: Buffer,
): LogChunk {
  const end = offset + bytes.length;
  return { server, source, offset, size, data: bytes.toString('base64'), next: end < size ? end : null };
}
