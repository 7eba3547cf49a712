// The engine of one server: a deterministic state machine. The shell feeds it events stamped with
// the time (ticks, peer messages, finished resource actions, monitor results, operator commands) and
// carries out what it returns. See docs/engine.md for the state machines and the safety argument.
import {
  decideGrant,
  mayBeActive,
  type GrantContext,
  type GrantRecord,
  type PendingClaim,
} from './claims.js';
import { GroupRunner } from './group-runner.js';
import { Intents, groupKey, type GroupIntent } from './intents.js';
import type {
  Alert,
  AlertSeverity,
  EngineInput,
  EngineOutput,
  EngineView,
  PersistedState,
  ResourceEvent,
} from './io.js';
import { healthScore } from './health.js';
import { MonitorTracker } from './ladder.js';
import { Membership } from './membership.js';
import type { GroupReport, Heartbeat, PeerMessage } from './messages.js';
import type { ClusterModel, GroupModel, MonitorModel } from './model.js';
import { applyOperatorCommand } from './operator.js';
import { chooseTarget } from './placement.js';
import { claimQuorum, resolvePartition, type NpDecision, type NpFacts } from './quorum.js';
import { buildView } from './view.js';

export interface EngineOptions {
  now: number;
  /** Must grow at every start of the agent on this server (a boot counter or the start time). */
  incarnation: number;
  persisted?: PersistedState;
  /** Deliberately broken rules, so the simulator can show that it catches unsafe engines. Never in production. */
  unsafe?: { skipMoveHandshake?: boolean; skipTakeoverDelay?: boolean };
}

export type ServiceState = 'running' | 'stopped' | 'suspended' | 'fenced';

/** How long a server that failed to start a group leaves it to others, in heartbeat timeouts. */
const startFailureCooldownTimeouts = 10;
/** How long a server reports a group unstable after a monitor climbed its ladder, without resetAfter. */
const defaultUnstableMs = 10 * 60_000;

export class Engine {
  readonly servers: string[];
  readonly membership: Membership;
  readonly intents: Intents;
  readonly runners = new Map<string, GroupRunner>();
  readonly monitors = new Map<string, MonitorTracker>();
  readonly claims = new Map<string, PendingClaim>();
  now: number;
  quorate = false;
  np: EngineView['np'] = { verdict: 'none', reason: 'starting', at: 0 };
  /** The current partition decision (recomputed at every evaluation; `np` records its changes). */
  npDecision: NpDecision = { verdict: 'pending', reason: 'starting', basis: 'none' };
  /** Set while this server is fenced: it lost partition resolution and gave up its groups. */
  fencedAt: number | null = null;
  /** This server's service was stopped alone: the final action `stop-cluster`, or the agent shutting down. */
  localServiceStopped = false;

  private readonly bootAt: number;
  private readonly epochs: Record<string, number>;
  private readonly grants: Record<string, GrantRecord>;
  private readonly activeEpoch: Record<string, number>;
  private readonly retryAt = new Map<string, number>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly rollingBack = new Set<string>();
  private readonly stopForMove = new Set<string>();
  /** The server last seen holding each group, to tell a failover from a plain start. */
  private readonly lastHolder = new Map<string, string>();
  private quorateSince: number | null = null;
  /** Since when some server is out of contact (partition resolution is under way), or null. */
  private npSince: number | null = null;
  /** What the shell gathered for partition resolution (ping, com, lease). */
  private npFacts: NpFacts = {};
  /** Since when this server holds the disk or witness lease, as far as its facts say. */
  private leaseHeldSince: number | null = null;
  /** Since when partition resolution has been won by the com method (see comReady). */
  private comWinSince: number | null = null;
  private npResolving = false;
  private npRecordedBasis: NpDecision['basis'] = 'none';
  private upPeers = new Set<string>();
  private seq = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private stateChanged = true;
  private persistPending = false;
  private alertCount = 0;
  private activeMonitors: string[] | null = null;
  /** Monitors whose last result was a warning (system limits), so the warning alert is raised once. */
  private readonly warnedMonitors = new Set<string>();
  /** Since when each monitor's watched target is online here (for waitAfterStart). */
  private readonly targetOnlineSince = new Map<string, number>();
  /** Until when this server reports each group unstable: a monitor climbed its ladder here recently. */
  private readonly unstableUntil = new Map<string, number>();
  private out: EngineOutput[] = [];

  constructor(
    readonly model: ClusterModel,
    readonly self: string,
    private readonly options: EngineOptions,
  ) {
    this.servers = model.servers.map((s) => s.name);
    if (!this.servers.includes(self)) throw new Error(`server ${self} is not in cluster ${model.name}`);
    this.now = options.now;
    this.bootAt = options.now;
    this.membership = new Membership(self, model.servers, model.timing, options.now);
    const persisted = options.persisted;
    this.intents = new Intents(model, persisted?.intents);
    this.epochs = { ...persisted?.epochs };
    this.grants = { ...persisted?.grants };
    this.activeEpoch = {};
    for (const group of model.groups) this.runners.set(group.name, new GroupRunner(group));
    for (const monitor of model.monitors) {
      const saved = persisted?.ladder[monitor.name];
      this.monitors.set(monitor.name, new MonitorTracker(monitor, saved ? { ...saved } : undefined));
    }
    // Groups that were active here before a restart: we no longer know what still runs, so stop
    // everything (stops are idempotent) while reporting the group active, then claim afresh.
    for (const [group, epoch] of Object.entries(persisted?.active ?? {})) {
      const runner = this.runners.get(group);
      if (!runner) continue;
      this.activeEpoch[group] = epoch;
      runner.assumeAllOnline();
      runner.wantAll('offline', 'STOP');
    }
  }

  get incarnation(): number {
    return this.options.incarnation;
  }

  get timing(): ClusterModel['timing'] {
    return this.model.timing;
  }

  service(): ServiceState {
    if (this.fencedAt !== null) return 'fenced';
    const mode = this.intents.clusterMode();
    if (mode === 'stopped' || this.localServiceStopped) return 'stopped';
    return mode;
  }

  step(input: EngineInput): EngineOutput[] {
    this.now = Math.max(this.now, input.now);
    this.out = [];
    let evaluate = input.type !== 'message';
    switch (input.type) {
      case 'tick':
        break;
      case 'message':
        this.onMessage(input.from, input.link, input.message);
        break;
      case 'resource-done':
        this.onResourceDone(input.group, input.resource, input.action, input.ok, input.detail ?? '');
        break;
      case 'monitor-result':
        evaluate = this.onMonitorResult(input.monitor, input.ok, input.detail ?? '', input.warning === true);
        break;
      case 'np-facts':
        this.npFacts = { ...this.npFacts, ...input.facts };
        break;
      case 'shutdown':
        this.localServiceStopped = true;
        this.log('info', 'shutdown', {
          groups: this.model.groups.filter((g) => this.runner(g.name).isActive()).map((g) => g.name),
        });
        this.markChanged();
        break;
      case 'stalled': {
        const holding = [...this.runners.values()].filter((r) => r.isActive() && r.fencedUntil === null);
        const why = `did not run for ${Math.round(input.gapMs)} ms, past the heartbeat timeout: its groups may run elsewhere`;
        this.log('warn', 'stalled', { gapMs: Math.round(input.gapMs) });
        this.fenceSelf(
          why,
          holding.map((r) => r.name),
          `${this.self} ${why}, and fences itself`,
        );
        break;
      }
      case 'operator': {
        const result = applyOperatorCommand(this, input.command);
        this.emit({ type: 'reply', id: input.id, ok: result.ok, message: result.message });
        if (result.ok) this.log('info', 'operator-command', { operator: input.operator, ...input.command });
        break;
      }
    }
    // A peer message only updates what we know; the next tick (a fraction of the heartbeat interval
    // away) acts on it. Evaluating on every one of them costs most of an idle agent's CPU. The same
    // holds for a monitor result that changed nothing (ok on a monitor that was ok).
    if (evaluate) this.evaluate();
    this.flushPersist();
    return this.out;
  }

  view(): EngineView {
    return buildView(this);
  }

  // ---- outputs -------------------------------------------------------------------------------

  emit(output: EngineOutput): void {
    // State written before anything that depends on it leaves this server.
    if (output.type === 'send' || output.type === 'start-resource') this.flushPersist();
    this.out.push(output);
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): void {
    this.out.push({ type: 'log', level, event, fields });
  }

  alert(severity: AlertSeverity, kind: string, message: string): void {
    const alert: Alert = {
      id: `${this.self}-${this.incarnation}-${++this.alertCount}`,
      at: this.now,
      server: this.self,
      severity,
      kind,
      message,
    };
    this.out.push({ type: 'alert', alert });
  }

  markChanged(persist = false): void {
    this.stateChanged = true;
    if (persist) this.persistPending = true;
  }

  send(to: string, message: PeerMessage): void {
    this.emit({ type: 'send', to, message });
  }

  private flushPersist(): void {
    if (!this.persistPending) return;
    this.persistPending = false;
    this.out.push({ type: 'persist', state: this.persisted() });
  }

  persisted(): PersistedState {
    const ladder: PersistedState['ladder'] = {};
    for (const [name, tracker] of this.monitors) ladder[name] = { ...tracker.counters };
    return {
      version: 1,
      epochs: { ...this.epochs },
      grants: { ...this.grants },
      active: { ...this.activeEpoch },
      ladder,
      intents: { ...this.intents.all() },
    };
  }

  // ---- what this server reports ----------------------------------------------------------------

  selfReport(group: string): GroupReport {
    const runner = this.runner(group);
    const blocked = (this.blockedUntil.get(group) ?? 0) > this.now || undefined;
    if (runner.isActive()) {
      const state = runner.state();
      if (this.options.unsafe?.skipMoveHandshake && state === 'stopping' && this.stopForMove.has(group)) {
        return { state: 'offline', epoch: this.activeEpoch[group] ?? 0 };
      }
      return { state, epoch: this.activeEpoch[group] ?? 0, blocked, unstable: this.unstable(group) };
    }
    const claim = this.claims.get(group);
    const report: GroupReport = { state: 'offline', epoch: this.epochs[group] ?? 0 };
    if (claim) {
      report.claiming = claim.epoch;
      report.epoch = Math.min(report.epoch, claim.epoch - 1);
    }
    if (blocked) report.blocked = true;
    if (this.unstable(group)) report.unstable = true;
    return report;
  }

  /** `monitor reset`: fresh counters, and its group counts as stable here again. */
  resetMonitor(name: string): void {
    const tracker = this.monitors.get(name);
    if (!tracker) return;
    tracker.reset();
    this.unstableUntil.delete(tracker.model.recovery.target.group);
    this.markChanged(true);
  }

  /** A monitor climbed its recovery ladder for this group here recently (see failoverTarget). */
  private unstable(group: string): true | undefined {
    return (this.unstableUntil.get(group) ?? 0) > this.now || undefined;
  }

  /** What `server` reports about `group`: our own state, or the peer's latest heartbeat while it is up. */
  reportOf(server: string, group: string): GroupReport | null {
    if (server === this.self) return this.selfReport(group);
    const hb = this.membership.report(server, this.now);
    if (!hb) return null;
    return hb.groups[group] ?? { state: 'offline', epoch: 0 };
  }

  /** The server where the group is active or being claimed, as far as we know (ourselves first). */
  holderOf(group: string): string | null {
    if (this.runner(group).isActive()) return this.self;
    for (const peer of this.membership.peerNames()) {
      const report = this.reportOf(peer, group);
      if (report && mayBeActive(report)) return peer;
    }
    return null;
  }

  runner(group: string): GroupRunner {
    const runner = this.runners.get(group);
    if (!runner) throw new Error(`no group ${group}`);
    return runner;
  }

  private heartbeat(): Heartbeat {
    const groups: Record<string, GroupReport> = {};
    for (const group of this.model.groups) groups[group.name] = this.selfReport(group.name);
    return {
      kind: 'heartbeat',
      incarnation: this.incarnation,
      seq: ++this.seq,
      hears: this.membership.hears(this.now),
      quorate: this.quorate,
      ...(this.leaseReady() ? { lease: true } : {}),
      service: this.service(),
      health: this.health(),
      groups,
      intents: this.intents.all(),
    };
  }

  /** This server's health score from its monitors (see health.ts). */
  health(): number {
    return healthScore(
      [...this.monitors.values()].map((t) => ({
        type: t.model.type,
        error: t.state === 'error',
        warning: this.warnedMonitors.has(t.model.name),
      })),
    );
  }

  /** A server's health score: ours, or the one its latest heartbeat carried (null when unknown). */
  healthOf(server: string): number | null {
    if (server === this.self) return this.health();
    return this.membership.report(server, this.now)?.health ?? null;
  }

  // ---- inputs ------------------------------------------------------------------------------------

  private onMessage(from: string, link: string, message: PeerMessage): void {
    if (!this.membership.isPeer(from)) {
      this.log('warn', 'message-from-unknown-server', { from, link });
      return;
    }
    switch (message.kind) {
      case 'heartbeat':
        this.onHeartbeat(from, link, message);
        return;
      case 'claim':
        this.onClaim(from, message.group, message.epoch, message.incarnation);
        return;
      case 'grant':
        this.onGrant(from, message.group, message.epoch);
        return;
      case 'refuse':
        this.onRefuse(from, message.group, message.epoch, message.highest, message.reason);
        return;
      case 'resource-op':
        this.onResourceOp(message.group, message.resource, message.action);
        return;
      case 'monitor-reset':
        this.resetMonitor(message.monitor);
        return;
    }
  }

  private onHeartbeat(from: string, link: string, hb: Heartbeat): void {
    const verdict = this.membership.onHeartbeat(from, link, hb, this.now);
    if (verdict === 'duplicate' || verdict === 'stale-incarnation') return;
    if (verdict === 'restarted')
      this.log('info', 'peer-restarted', { server: from, incarnation: hb.incarnation });
    if (this.intents.merge(hb.intents)) this.markChanged(true);
    for (const [group, report] of Object.entries(hb.groups)) {
      if (this.runners.has(group) && mayBeActive(report) && report.claiming === undefined) {
        this.lastHolder.set(group, from);
      }
    }
  }

  private grantContext(group: string): GrantContext {
    const skipDelay = this.options.unsafe?.skipTakeoverDelay;
    return {
      self: this.self,
      highestEpoch: this.epochs[group] ?? 0,
      lastGrant: this.grants[group],
      servers: this.servers,
      reportOf: (server) => this.reportOf(server, group),
      presumedFenced: (server) =>
        server !== this.self && this.membership.presumedFenced(server, this.now, skipDelay ? 0 : undefined),
      incarnationOf: (server) =>
        server === this.self ? this.incarnation : this.membership.incarnation(server),
    };
  }

  private onClaim(from: string, group: string, epoch: number, incarnation: number): void {
    if (!this.runners.has(group)) return;
    const decision = decideGrant(this.grantContext(group), from, epoch);
    if (!decision.grant) {
      this.log('debug', 'claim-refused', { group, claimant: from, epoch, reason: decision.reason });
      this.send(from, {
        kind: 'refuse',
        group,
        epoch,
        highest: this.epochs[group] ?? 0,
        reason: decision.reason,
      });
      return;
    }
    this.epochs[group] = epoch;
    this.grants[group] = { to: from, epoch, incarnation };
    this.markChanged(true);
    this.send(from, { kind: 'grant', group, epoch });
  }

  private onGrant(from: string, group: string, epoch: number): void {
    const claim = this.claims.get(group);
    if (!claim || claim.epoch !== epoch) return;
    claim.grants.add(from);
    if (claimQuorum(claim.grants, this.servers, this.npDecision)) this.winClaim(group, claim);
  }

  private onRefuse(from: string, group: string, epoch: number, highest: number, reason: string): void {
    const claim = this.claims.get(group);
    if (!claim || claim.epoch !== epoch) return;
    if (highest > (this.epochs[group] ?? 0)) {
      this.epochs[group] = highest;
      this.markChanged(true);
    }
    this.abandonClaim(group, `${from} refused: ${reason}`);
  }

  private onResourceOp(group: string, resource: string, action: 'start' | 'stop'): void {
    const runner = this.runners.get(group);
    if (!runner?.isActive()) return;
    runner.wantResource(resource, action === 'start' ? 'online' : 'offline');
    this.markChanged();
  }

  private onResourceDone(
    group: string,
    resource: string,
    action: 'start' | 'stop',
    ok: boolean,
    detail: string,
  ) {
    const runner = this.runners.get(group);
    if (!runner || !runner.done(resource, action, ok)) {
      this.log('debug', 'unexpected-resource-result', { group, resource, action, ok });
      return;
    }
    this.markChanged();
    if (ok) return;
    if (action === 'start') {
      this.alert(
        'warning',
        'resource-start-failed',
        `${group}/${resource} failed to start on ${this.self}: ${detail}`,
      );
      this.rollingBack.add(group);
      runner.wantAll('offline', 'STOP');
      return;
    }
    // A resource that will not stop may still run: kill the group outright before anyone takes it.
    this.alert(
      'critical',
      'resource-stop-failed',
      `${group}/${resource} failed to stop on ${this.self}: ${detail}`,
    );
    runner.fence(this.now + this.timing.fenceDeadlineMs);
    const escalation = this.groupModel(group).stopFailure ?? 'kill';
    this.emit({
      type: 'fence',
      reason: `stop of ${group}/${resource} failed`,
      action: escalation === 'kill' ? 'stop-service' : escalation,
      groups: [group],
    });
  }

  /**
   * Returns false for a routine result, one that changed nothing but the monitor's last detail (ok,
   * without warning, on a monitor that was ok): no evaluation follows, nothing is sent early. With
   * 1,000 monitors at 1 s that is nearly every step.
   */
  private onMonitorResult(name: string, ok: boolean, detail: string, warning: boolean): boolean {
    const tracker = this.monitors.get(name);
    if (!tracker || !this.monitorShouldRun(name)) return false;
    if (
      ok &&
      !warning &&
      tracker.state === 'ok' &&
      tracker.failures === 0 &&
      !this.warnedMonitors.has(name)
    ) {
      tracker.onResult(ok, detail);
      return false;
    }
    // A warning is an ok result for the ladder; it raises one alert when it starts, not one per check.
    if (ok && warning && !this.warnedMonitors.has(name))
      this.alert('warning', 'monitor-warning', `monitor ${name} warns on ${this.self}: ${detail}`);
    if (ok && warning) this.warnedMonitors.add(name);
    else this.warnedMonitors.delete(name);
    if (!ok && this.inStartGrace(tracker.model)) {
      this.log('info', 'monitor-failure-ignored', { monitor: name, reason: 'waitAfterStart', detail });
      return true;
    }
    const verdict = tracker.onResult(ok, detail);
    if (verdict === 'recovered') {
      this.alert('info', 'monitor-recovered', `monitor ${name} is ok again on ${this.self}`);
    } else if (verdict === 'error') {
      this.alert('warning', 'monitor-error', `monitor ${name} is in error on ${this.self}: ${detail}`);
      tracker.counters.lastErrorAt = this.now;
      this.markChanged(true);
      this.recover(tracker);
    }
    this.markChanged();
    return true;
  }

  /** Climb one rung of the monitor's recovery ladder. */
  private recover(tracker: MonitorTracker): void {
    const { recovery } = tracker.model;
    const group = recovery.target.group;
    const runner = this.runner(group);
    if (this.service() !== 'running' || runner.state() !== 'online') {
      this.log('info', 'monitor-error-without-recovery', { monitor: tracker.model.name, group });
      return;
    }
    const next = this.failoverTarget(group);
    const rung = tracker.climb(this.now, next !== null);
    this.markChanged(true);
    this.unstableUntil.set(group, this.now + (recovery.resetAfterMs ?? defaultUnstableMs));
    const what = `monitor ${tracker.model.name}`;
    if (rung === 'reactivate') {
      const resources = recovery.target.resource
        ? [recovery.target.resource]
        : this.groupModel(group).resources.map((r) => r.name);
      this.alert(
        'warning',
        'recovery-reactivate',
        `${what}: reactivating ${resources.join(', ')} on ${this.self} (${tracker.counters.reactivations}/${recovery.reactivate})`,
      );
      runner.restart(resources, 'RECOVER');
      return;
    }
    if (rung === 'failover' && next) {
      this.alert(
        'warning',
        'recovery-failover',
        `${what}: failing ${group} over from ${this.self} to ${next} (${tracker.counters.failovers}/${recovery.failover})`,
      );
      this.intents.set(
        groupKey(group),
        { kind: 'group', run: true, preferred: next, avoid: this.self },
        this.self,
      );
      return;
    }
    this.alert('critical', 'recovery-final', `${what}: final action ${recovery.final} on ${this.self}`);
    switch (recovery.final) {
      case 'none':
        return;
      case 'stop-group':
        this.intents.set(groupKey(group), { kind: 'group', run: false }, this.self);
        return;
      case 'stop-cluster':
        this.localServiceStopped = true;
        return;
      case 'reboot':
      case 'poweroff':
        this.emit({ type: 'final-action', action: recovery.final, reason: `${what} in error` });
        return;
    }
  }

  /**
   * The best other server that may take the group now: first the stable ones (whose monitors have
   * not failed the group recently), then among those the healthiest, then policy order.
   */
  private failoverTarget(group: string): string | null {
    const eligible = this.groupModel(group).policy.filter((s) => s !== this.self && this.eligible(s, group));
    const rank = (s: string) => ({
      unstable: this.reportOf(s, group)?.unstable ? 1 : 0,
      health: this.healthOf(s) ?? 100,
    });
    const ranked = eligible.map((server, order) => ({ server, order, ...rank(server) }));
    ranked.sort((a, b) => a.unstable - b.unstable || b.health - a.health || a.order - b.order);
    return ranked[0]?.server ?? null;
  }

  /** Failed checks of this monitor do not count yet: its target went online here too recently. */
  private inStartGrace(model: MonitorModel): boolean {
    const since = this.targetOnlineSince.get(model.name);
    return (
      model.waitAfterStartMs !== undefined && since !== undefined && this.now - since < model.waitAfterStartMs
    );
  }

  /** Is the monitor's target (or, without one, its recovery target) online here? */
  private targetOnline(model: MonitorModel): boolean {
    const target = model.target ?? model.recovery.target;
    const runner = this.runner(target.group);
    if (!target.resource) return runner.state() === 'online';
    return runner.resourceStates().some((r) => r.name === target.resource && r.state === 'online');
  }

  groupModel(group: string): GroupModel {
    const model = this.model.groups.find((g) => g.name === group);
    if (!model) throw new Error(`no group ${group}`);
    return model;
  }

  // ---- the periodic evaluation ------------------------------------------------------------------

  private evaluate(): void {
    this.trackPeers();
    this.resolvePartition();
    this.expireClaims();
    this.placeGroups();
    this.reconcileGroups();
    this.updateMonitors();
    this.sendHeartbeat();
  }

  private trackPeers(): void {
    const up = new Set(this.membership.hears(this.now));
    for (const peer of up) {
      if (!this.upPeers.has(peer)) {
        this.log('info', 'server-up', { server: peer });
        this.markChanged();
      }
    }
    for (const peer of this.upPeers) {
      if (!up.has(peer)) {
        this.alert('warning', 'server-down', `${this.self} lost every heartbeat link to ${peer}`);
        this.markChanged();
      }
    }
    this.upPeers = up;
  }

  private inBootGrace(): boolean {
    return this.now - this.bootAt < this.timing.heartbeatTimeoutMs;
  }

  private resolvePartition(): void {
    const mutual = this.membership.mutualPeers(this.now);
    const members = [this.self, ...mutual];
    const everyone = this.servers.every((s) => members.includes(s));
    // Resolution starts once some server is out of contact; a booting server first listens.
    if (everyone) this.npSince = null;
    else if (!this.inBootGrace()) this.npSince ??= this.now;
    this.announceResolution();
    const decision: NpDecision =
      this.npSince === null && !everyone
        ? { verdict: 'pending', reason: 'starting: listening for the other servers', basis: 'none' }
        : resolvePartition(this.model.partition.methods, {
            self: this.self,
            servers: this.servers,
            members,
            now: this.now,
            since: this.npSince ?? this.now,
            deadlineMs: this.timing.npDeadlineMs,
            facts: this.npFacts,
            peerLeaseHolder:
              mutual.find((peer) => this.membership.report(peer, this.now)?.lease === true) ?? null,
          });
    this.npDecision = decision;
    this.trackWinReadiness(decision);
    const quorate =
      decision.verdict === 'win' &&
      (decision.leaseHolder !== this.self || this.leaseReady()) &&
      (decision.basis !== 'com' || this.comReady());
    // Record a decision when its verdict or what it rests on changes.
    const verdict = decision.verdict === 'pending' ? 'none' : decision.verdict;
    const basisChanged = decision.basis !== this.npRecordedBasis;
    if (decision.verdict !== 'pending' && (verdict !== this.np.verdict || basisChanged)) {
      this.np = { verdict, reason: decision.reason, at: this.now };
      this.npRecordedBasis = decision.basis;
      this.log(verdict === 'win' ? 'info' : 'warn', 'np-decision', { ...this.np });
    }
    if (quorate !== this.quorate) this.markChanged();
    this.quorate = quorate;
    if (quorate) this.quorateSince ??= this.now;
    else this.quorateSince = null;

    const holding = [...this.runners.values()].filter((r) => r.isActive() && r.fencedUntil === null);
    if (decision.verdict === 'lose' && (holding.length > 0 || this.claims.size > 0)) {
      this.fenceSelf(
        decision.reason,
        holding.map((r) => r.name),
      );
    }
    // A fenced server rejoins once it has been back on the winning side for a full heartbeat timeout.
    if (
      this.fencedAt !== null &&
      quorate &&
      this.now - (this.quorateSince ?? this.now) >= this.timing.heartbeatTimeoutMs
    ) {
      if ([...this.runners.values()].every((r) => !r.isActive())) {
        this.fencedAt = null;
        this.alert('info', 'rejoined', `${this.self} is back on the winning side and rejoins the cluster`);
        this.markChanged();
      }
    }
  }

  /** Tells the shell when to gather facts for resolution (and to hold or release a lease). */
  private announceResolution(): void {
    const resolving = this.npSince !== null;
    if (resolving === this.npResolving) return;
    this.npResolving = resolving;
    if (!resolving) this.npFacts = {};
    const holding = [...this.runners.values()].some((r) => r.isActive());
    this.emit({ type: 'np-resolve', active: resolving, holding });
  }

  /** Since when the lease is held, and since when com has won: both count for claims only later. */
  private trackWinReadiness(decision: NpDecision): void {
    if (decision.basis === 'lease' && decision.leaseHolder === this.self) this.leaseHeldSince ??= this.now;
    else this.leaseHeldSince = null;
    if (decision.verdict === 'win' && decision.basis === 'com') this.comWinSince ??= this.now;
    else this.comWinSince = null;
  }

  /**
   * A com win counts for claims only once the peer has had time to ask the serial line itself (its
   * shell asks every interval while it resolves) and to fence: it may have won earlier by a later
   * method (a disk lease taken while the serial line was silent) and still hold groups. Without
   * this wait both would run them (simulator seed 1198 on 2 servers).
   */
  private comReady(): boolean {
    return (
      this.comWinSince !== null &&
      this.now - this.comWinSince >= 2 * this.timing.heartbeatIntervalMs + this.timing.fenceDeadlineMs
    );
  }

  /**
   * A lease counts for claims only after the fence deadline: whoever held it before us stopped
   * trusting it no later than when we got it, and has fenced itself by then.
   */
  private leaseReady(): boolean {
    return this.leaseHeldSince !== null && this.now - this.leaseHeldSince >= this.timing.fenceDeadlineMs;
  }

  private fenceSelf(
    reason: string,
    groups: string[],
    message = `${this.self} lost partition resolution (${reason}) and fences itself`,
  ): void {
    for (const group of [...this.claims.keys()]) this.abandonClaim(group, 'fencing');
    for (const group of groups) this.runner(group).fence(this.now + this.timing.fenceDeadlineMs);
    this.fencedAt = this.now;
    this.alert('critical', 'fenced', message);
    if (groups.length > 0) {
      this.emit({ type: 'fence', reason, action: this.model.partition.action, groups });
    }
    this.markChanged();
  }

  private expireClaims(): void {
    for (const [group, claim] of this.claims) {
      if (this.now >= claim.deadline) this.abandonClaim(group, 'no majority of grants in time');
    }
  }

  private abandonClaim(group: string, reason: string): void {
    const claim = this.claims.get(group);
    if (!claim) return;
    this.claims.delete(group);
    this.retryAt.set(
      group,
      this.now + this.timing.heartbeatIntervalMs * (1 + this.servers.indexOf(this.self)),
    );
    this.log('debug', 'claim-abandoned', { group, epoch: claim.epoch, reason });
    this.markChanged();
  }

  private winClaim(group: string, claim: PendingClaim): void {
    this.claims.delete(group);
    const previous = this.lastHolder.get(group);
    const intent = this.intents.group(group);
    const failover =
      (previous !== undefined && previous !== this.self && !this.membership.isUp(previous, this.now)) ||
      intent.avoid !== undefined;
    const event: ResourceEvent = failover ? 'FAILOVER' : 'START';
    this.activeEpoch[group] = claim.epoch;
    this.lastHolder.set(group, this.self);
    this.runner(group).wantAll('online', event);
    this.markChanged(true);
    this.log('info', 'group-claimed', { group, epoch: claim.epoch, event });
    if (failover) this.alert('warning', 'group-failover', `${group} fails over to ${this.self}`);
  }

  /** May `server` run `group` now, as far as this server can tell? */
  eligible(server: string, group: string): boolean {
    const model = this.groupModel(group);
    if (!model.policy.includes(server)) return false;
    const others = this.model.groups.filter(
      (g) => g.name !== group && model.exclusion && g.exclusion === model.exclusion,
    );
    if (server === this.self) {
      if (this.service() !== 'running' || !this.quorate) return false;
      if ((this.blockedUntil.get(group) ?? 0) > this.now || this.rollingBack.has(group)) return false;
      return others.every((g) => !this.runner(g.name).isActive() && !this.claims.has(g.name));
    }
    if (!this.membership.isMutual(server, this.now)) return false;
    const hb = this.membership.report(server, this.now);
    if (!hb || hb.service !== 'running' || !hb.quorate) return false;
    if (hb.groups[group]?.blocked) return false;
    return others.every((g) => !mayBeActive(hb.groups[g.name] ?? { state: 'offline', epoch: 0 }));
  }

  private placeGroups(): void {
    const service = this.service();
    for (const group of this.model.groups) {
      const runner = this.runner(group.name);
      if (runner.fencedUntil !== null) continue;
      const intent = this.intents.group(group.name);
      if (runner.isActive()) {
        this.placeActive(group, intent, service);
        continue;
      }
      if (service !== 'running' || !this.quorate || this.inBootGrace() || this.claims.has(group.name))
        continue;
      if (this.now < (this.retryAt.get(group.name) ?? 0)) continue;
      const holder = this.holderOf(group.name);
      const target = chooseTarget(group, intent, { holder, eligible: (s) => this.eligible(s, group.name) });
      if (target === this.self && holder === null) this.claim(group.name);
    }
  }

  /** This server holds the group: keep it, or stop it because it should run elsewhere or not at all. */
  private placeActive(group: GroupModel, intent: GroupIntent, service: ServiceState): void {
    const runner = this.runner(group.name);
    const wantsOnline = runner.state() !== 'stopping' && !this.rollingBack.has(group.name);
    if (!wantsOnline) return;
    if (service === 'stopped' || !intent.run) {
      runner.wantAll('offline', 'STOP');
      this.markChanged();
      return;
    }
    if (service !== 'running' || !this.quorate) return;
    const target = chooseTarget(group, intent, {
      holder: this.self,
      eligible: (s) => this.eligible(s, group.name),
    });
    if (target !== null && target !== this.self) {
      this.log('info', 'group-moving', { group: group.name, to: target });
      this.stopForMove.add(group.name);
      runner.wantAll('offline', 'STOP');
      this.markChanged();
    }
  }

  private claim(group: string): void {
    let epoch = this.epochs[group] ?? 0;
    for (const peer of this.membership.peerNames()) {
      const report = this.membership.lastReport(peer)?.groups[group];
      if (report) epoch = Math.max(epoch, report.epoch, report.claiming ?? 0);
    }
    epoch += 1;
    const decision = decideGrant(this.grantContext(group), this.self, epoch);
    if (!decision.grant || this.outOfContactMayRun().length > 0) {
      this.retryAt.set(group, this.now + this.timing.heartbeatIntervalMs);
      return;
    }
    this.epochs[group] = epoch;
    this.grants[group] = { to: this.self, epoch, incarnation: this.incarnation };
    const claim: PendingClaim = {
      epoch,
      grants: new Set([this.self]),
      deadline: this.now + this.timing.heartbeatTimeoutMs,
    };
    this.claims.set(group, claim);
    this.markChanged(true);
    this.log('debug', 'claim', { group, epoch });
    this.send('*', { kind: 'claim', group, epoch, incarnation: this.incarnation });
    if (claimQuorum(claim.grants, this.servers, this.npDecision)) this.winClaim(group, claim);
  }

  /**
   * Servers out of contact that may still run groups, when this side's claims do not need a
   * majority's grants (a lease, com or ping win). Such a server may have claimed under another basis
   * a moment before contact was lost (all servers in contact, or a majority), and its last report
   * here can be older than that claim: no grant of ours stops it, so a claim waits until it has
   * been silent long enough to have noticed, resolved and fenced (simulator seed 11330 on 3 servers:
   * a witness lease taken while another server ran the group under an all-in-contact claim).
   */
  private outOfContactMayRun(): string[] {
    const basis = this.npDecision.basis;
    if (basis === 'all' || basis === 'majority') return [];
    const mutual = new Set(this.membership.mutualPeers(this.now));
    return this.servers.filter(
      (server) =>
        server !== this.self && !mutual.has(server) && !this.membership.presumedFenced(server, this.now),
    );
  }

  private reconcileGroups(): void {
    for (const runner of this.runners.values()) {
      const wasActive = this.activeEpoch[runner.name] !== undefined;
      for (const action of runner.reconcile(this.now)) {
        const base = { group: runner.name, resource: action.resource, timeoutMs: action.timeoutMs };
        if (action.action === 'start') this.emit({ type: 'start-resource', ...base, event: runner.event });
        else this.emit({ type: 'stop-resource', ...base, event: 'STOP' });
        this.markChanged();
      }
      if (wasActive && !runner.isActive()) this.settle(runner.name);
      if (runner.state() === 'online' && this.stopForMove.has(runner.name))
        this.stopForMove.delete(runner.name);
    }
  }

  /** The group is fully stopped here: done with its epoch. */
  private settle(group: string): void {
    delete this.activeEpoch[group];
    this.stopForMove.delete(group);
    if (this.rollingBack.delete(group)) {
      this.blockedUntil.set(group, this.now + startFailureCooldownTimeouts * this.timing.heartbeatTimeoutMs);
    }
    this.log('info', 'group-offline', { group });
    this.markChanged(true);
  }

  monitorShouldRun(name: string): boolean {
    const tracker = this.monitors.get(name);
    if (!tracker || this.intents.monitorSuspended(name) || this.service() !== 'running') return false;
    return this.targetAllowsRun(tracker);
  }

  /** Whether the monitor's timing and target let it run now (suspension and service aside). */
  private targetAllowsRun(tracker: MonitorTracker): boolean {
    const { target, timing } = tracker.model;
    if (timing === 'always' || !target) return true;
    return this.targetOnline(tracker.model);
  }

  private updateMonitors(): void {
    // Runs at every step, and every monitor result is a step: keep it linear, without searches or
    // joins over the list (1,000 monitors at 1 s give 1,000 steps a second).
    const running = this.service() === 'running';
    const suspended = this.intents.suspendedMonitors();
    const active: string[] = [];
    for (const [name, tracker] of this.monitors) {
      if (running && !suspended.has(name) && this.targetAllowsRun(tracker)) active.push(name);
      else if (tracker.state !== 'idle') {
        tracker.state = 'idle';
        tracker.failures = 0;
      }
      if (!this.targetOnline(tracker.model)) this.targetOnlineSince.delete(name);
      else if (!this.targetOnlineSince.has(name)) this.targetOnlineSince.set(name, this.now);
      if (tracker.expire(this.now)) {
        this.log('info', 'recovery-counters-reset', { monitor: name, reason: 'resetAfter' });
        this.markChanged(true);
      }
    }
    const previous = this.activeMonitors;
    if (previous === null || previous.length !== active.length || previous.some((n, i) => n !== active[i])) {
      this.activeMonitors = active;
      this.emit({ type: 'monitors', active });
    }
  }

  private sendHeartbeat(): void {
    const due = this.now - this.lastSentAt >= this.timing.heartbeatIntervalMs;
    if (!due && !(this.stateChanged && this.now > this.lastSentAt)) return;
    this.lastSentAt = this.now;
    this.stateChanged = false;
    this.send('*', this.heartbeat());
  }
}
