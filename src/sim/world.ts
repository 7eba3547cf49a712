// A simulated cluster: the servers (SimNode), the network, the ground truth, the fault book, the event
// queue and the invariant checks, wired together. Scenarios and the schedule runner drive it; it stops
// at the first violation.
import type { ClusterModel } from '../engine/model.js';
import type { EngineInput, EngineOutput, EngineView, OperatorCommand } from '../engine/io.js';
import type { PeerMessage } from '../engine/messages.js';
import type { EngineFactory, UnsafeOptions } from './engine-port.js';
import { EventQueue } from './queue.js';
import { Rng } from './prng.js';
import { SimNetwork, type NetFault } from './network.js';
import { GroundTruth } from './truth.js';
import { Trace } from './trace.js';
import { FaultBook, type MonitorFault, type ResourceFault } from './faults.js';
import { SimNode, type NodeEnv, type ShellTiming } from './node.js';
import { SimArbiter } from './arbiter.js';
import { LadderLimits } from './invariants.js';
import { checkLiveness, livenessBound, type LivenessBound } from './liveness.js';
import { describeNetFault, describeEvent, type FaultEvent } from './schedule.js';

export type InvariantName = 'safety' | 'ladder' | 'liveness' | 'engine-error' | 'scenario';

export interface Violation {
  invariant: InvariantName;
  at: number;
  message: string;
}

export interface WorldOptions {
  seed: number;
  factory: EngineFactory;
  unsafe?: UnsafeOptions;
  shell?: Partial<ShellTiming>;
  traceCapacity?: number;
  /** Record heartbeats in the trace too (noisy). */
  traceHeartbeats?: boolean;
}

export function defaultShell(model: ClusterModel): ShellTiming {
  return {
    tickMs: Math.max(1, Math.min(100, Math.floor(model.timing.heartbeatIntervalMs / 5))),
    resourceMs: [50, 500],
    slowFraction: [0.6, 1.1],
    monitorCheckMs: [5, 50],
    rebootMs: [1000, 3000],
  };
}

export class World implements NodeEnv {
  readonly queue = new EventQueue();
  readonly rng: Rng;
  readonly network: SimNetwork;
  readonly truth: GroundTruth;
  readonly trace: Trace;
  readonly faults = new FaultBook();
  readonly arbiter = new SimArbiter();
  readonly factory: EngineFactory;
  readonly unsafe: UnsafeOptions | undefined;
  readonly shell: ShellTiming;
  readonly nodes: SimNode[];
  readonly maxDelayMs: number;
  /** The liveness bound (see liveness.ts); `setStartFailures` recomputes it. */
  bound: LivenessBound;
  violation: Violation | null = null;
  /** Engine steps taken. */
  steps = 0;
  /** An operator suspended the cluster at some point (the heal resumes it). */
  suspended = false;
  private readonly byName = new Map<string, SimNode>();
  /** Scenario assertions checked after every event: a returned string is a violation. */
  private readonly watchers: (() => string | null)[] = [];
  private readonly ladder: LadderLimits;
  private opCount = 0;

  constructor(
    readonly model: ClusterModel,
    options: WorldOptions,
  ) {
    this.rng = Rng.stream(options.seed, 'runtime');
    this.factory = options.factory;
    this.unsafe = options.unsafe;
    this.shell = { ...defaultShell(model), ...options.shell };
    this.trace = new Trace(options.traceCapacity ?? 400);
    this.truth = new GroundTruth(model);
    this.truth.onDoubleActive = (group, servers) =>
      this.fail(
        'safety',
        `group ${group} is active on ${servers.join(' and ')} at once (${servers.map((s) => `${s}: ${this.truth.describe(s)}`).join('; ')})`,
      );
    this.maxDelayMs = Math.floor(model.timing.heartbeatIntervalMs / 2);
    this.network = new SimNetwork(
      model.servers,
      this.queue,
      this.rng.fork('network'),
      (from, to, link, message, tag) => this.deliver(from, to, link, message, tag),
      { maxDelayMs: this.maxDelayMs, baseDelayMs: [1, Math.min(10, this.maxDelayMs)] },
    );
    this.network.observer = (from, to, link, message, fate) => {
      if (message.kind === 'heartbeat' && !options.traceHeartbeats) return;
      const via = link ? ` via ${link}` : '';
      const what = fate === 'sent' ? 'send' : fate === 'lost' ? 'LOST' : 'CUT';
      this.trace.add(this.queue.now, from, what, `${describeMessage(message)} → ${to}${via}`);
    };
    this.ladder = new LadderLimits(model);
    this.bound = livenessBound(model, this.shell, this.maxDelayMs);
    this.nodes = model.servers.map((s) => new SimNode(s.name, this));
    for (const n of this.nodes) this.byName.set(n.name, n);
  }

  get now(): number {
    return this.queue.now;
  }

  /** Whether start failures can happen (they add the engine's start-failure cooldown to the bound). */
  setStartFailures(possible: boolean): void {
    this.bound = livenessBound(this.model, this.shell, this.maxDelayMs, possible);
  }

  node(name: string): SimNode {
    const n = this.byName.get(name);
    if (!n) throw new Error(`no server ${name}`);
    return n;
  }

  /** Boots every server at time 0, in model order. */
  start(): void {
    for (const n of this.nodes) n.boot();
  }

  upServers(): string[] {
    return this.nodes.filter((n) => n.up).map((n) => n.name);
  }

  view(name: string): EngineView | null {
    const n = this.node(name);
    return n.up && n.engine ? n.engine.view() : null;
  }

  // ---- running -------------------------------------------------------------------------------------

  /** Runs until simulated time `t` or the first violation; returns false on a violation. */
  runUntil(t: number): boolean {
    this.queue.runUntil(t, () => {
      if (this.watchers.length > 0 && this.violation === null) {
        for (const w of this.watchers) {
          const problem = w();
          if (problem) this.fail('scenario', problem);
        }
      }
      return this.violation !== null;
    });
    return this.violation === null;
  }

  /** Checks `assertion` after every event until the returned function is called. */
  watch(assertion: () => string | null): () => void {
    this.watchers.push(assertion);
    return () => {
      const i = this.watchers.indexOf(assertion);
      if (i >= 0) this.watchers.splice(i, 1);
    };
  }

  runFor(ms: number): boolean {
    return this.runUntil(this.now + ms);
  }

  /**
   * Runs until `condition` holds (checked every `everyMs` of simulated time) or `timeoutMs` passes.
   * Returns whether it held; a violation also ends the wait (false).
   */
  waitFor(condition: () => boolean, timeoutMs: number, everyMs = 100): boolean {
    const deadline = this.now + timeoutMs;
    while (this.violation === null) {
      if (condition()) return true;
      if (this.now >= deadline) return false;
      this.runUntil(Math.min(deadline, this.now + everyMs));
    }
    return false;
  }

  // ---- faults and operators ------------------------------------------------------------------------

  apply(e: FaultEvent): void {
    this.trace.add(this.now, 'sim', 'fault', describeEvent(e));
    switch (e.kind) {
      case 'crash': {
        const n = this.node(e.server);
        if (!n.up) return;
        n.crash('crash (fault)');
        if (e.restartAfterMs !== null) this.restartLater(n, e.restartAfterMs);
        return;
      }
      case 'restart':
        this.restart(e.server);
        return;
      case 'net':
        this.netFault(e.fault, e.durationMs);
        return;
      case 'resource':
        this.resourceFault(e.fault, e.durationMs);
        return;
      case 'monitor':
        this.monitorFault(e.fault, e.durationMs);
        return;
      case 'np': {
        const id = this.faults.addNp(e.fault);
        this.queue.after(e.durationMs, () => this.faults.remove(id));
        return;
      }
      case 'operator':
        this.operator(e.command, e.server);
        return;
    }
  }

  crash(name: string): void {
    this.node(name).crash('crash');
  }

  /** Boots a crashed server (not a powered-off one). */
  restart(name: string): void {
    const n = this.node(name);
    if (n.status === 'down') n.boot();
  }

  private restartLater(n: SimNode, afterMs: number): void {
    const gen = n.generation;
    this.queue.after(afterMs, () => {
      if (n.generation === gen && n.status === 'down') {
        this.trace.add(this.now, 'sim', 'fault', `restart ${n.name}`);
        n.boot();
      }
    });
  }

  netFault(fault: NetFault, durationMs?: number): number {
    const id = this.network.add(fault);
    if (durationMs !== undefined) {
      this.queue.after(durationMs, () => {
        this.network.remove(id);
        this.trace.add(this.now, 'sim', 'heal', describeNetFault(fault));
      });
    }
    return id;
  }

  resourceFault(fault: ResourceFault, durationMs?: number): number {
    const id = this.faults.addResource(fault);
    if (durationMs !== undefined) this.queue.after(durationMs, () => this.faults.remove(id));
    return id;
  }

  monitorFault(fault: MonitorFault, durationMs?: number): number {
    const id = this.faults.addMonitor(fault);
    if (durationMs !== undefined) this.queue.after(durationMs, () => this.faults.remove(id));
    return id;
  }

  /** An operator command at `server`, or at a random live server. Returns the command id, or null. */
  operator(command: OperatorCommand, server?: string): string | null {
    let target = server ? this.node(server) : null;
    if (!target || !target.up) {
      const live = this.nodes.filter((n) => n.up);
      if (live.length === 0) return null;
      target = this.rng.pick(live);
    }
    if (command.op === 'cluster-suspend') this.suspended = true;
    const id = `op-${++this.opCount}`;
    target.operator(id, command);
    return id;
  }

  /** End of the faults: heal the network, clear resource and monitor faults, restart crashed servers. */
  heal(): void {
    this.trace.add(this.now, 'sim', 'heal', 'all faults end; crashed servers restart');
    this.network.healAll();
    this.faults.clear();
    for (const n of this.nodes) if (n.status === 'down') n.boot();
  }

  // ---- invariants ----------------------------------------------------------------------------------

  fail(invariant: InvariantName, message: string): void {
    if (this.violation) return;
    this.violation = { invariant, at: this.now, message };
    this.trace.add(this.now, 'sim', 'VIOLATION', `${invariant}: ${message}`);
  }

  /** The liveness invariant now (see liveness.ts); records a violation and returns false if it fails. */
  checkLiveness(): boolean {
    const up = this.upServers();
    const views = new Map<string, EngineView>();
    for (const s of up) {
      const v = this.view(s);
      if (v) views.set(s, v);
    }
    for (const v of views.values()) {
      const problem = this.ladder.checkView(v);
      if (problem) this.fail('ladder', problem);
    }
    const problems = checkLiveness({ model: this.model, truth: this.truth, up, views });
    if (problems.length > 0) this.fail('liveness', problems.join('; '));
    return problems.length === 0;
  }

  afterStep(node: SimNode, input: EngineInput, outputs: EngineOutput[]): void {
    this.steps++;
    if (this.ladder.empty) return;
    // Counters move when a monitor result climbs the ladder, and the engine persists them then: check
    // every persisted state, and the view after a monitor result that persisted something.
    let look = false;
    for (const out of outputs) {
      if (out.type !== 'persist') continue;
      const problem = this.ladder.checkPersisted(node.name, out.state);
      if (problem) this.fail('ladder', problem);
      look = input.type === 'monitor-result';
    }
    if (look && node.up && node.engine) {
      const problem = this.ladder.checkView(node.engine.view());
      if (problem) this.fail('ladder', problem);
    }
  }

  engineError(node: SimNode, input: EngineInput, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.fail('engine-error', `engine of ${node.name} threw on ${input.type}: ${text}`);
  }

  private deliver(from: string, to: string, link: string, message: PeerMessage, tag: number): void {
    const sender = this.node(from);
    // A message from an agent that has crashed since it was sent is dropped with it.
    if (sender.generation !== tag || !sender.up) return;
    this.node(to).deliver(from, link, message);
  }
}

export function describeMessage(m: PeerMessage): string {
  switch (m.kind) {
    case 'heartbeat':
      return `heartbeat #${m.seq} inc ${m.incarnation}`;
    case 'claim':
      return `claim ${m.group} epoch ${m.epoch}`;
    case 'grant':
      return `grant ${m.group} epoch ${m.epoch}`;
    case 'refuse':
      return `refuse ${m.group} epoch ${m.epoch} (highest ${m.highest}: ${m.reason})`;
    case 'resource-op':
      return `resource-op ${m.action} ${m.group}/${m.resource} (${m.id})`;
    default:
      return JSON.stringify(m);
  }
}
