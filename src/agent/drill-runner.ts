// Runs one drill at a time from the agent an operator talks to: injects the fault on the server
// it concerns (itself or a peer over the peer channel), follows every agent's log to build the
// timeline, checks the service on the new server, and ends when the fault is taken back.
import type { ClusterModel } from '../engine/model.js';
import type { EngineView } from '../engine/io.js';
import type { LogLine, NodeSnapshot } from '../control/protocol.js';
import { buildTimeline, type TimelineContext } from '../drills/timeline.js';
import { DRILLS, type DrillRequest, type DrillState } from '../drills/types.js';
import type { Fault } from './drill-faults.js';
import type { Logger } from './logger.js';

export interface DrillRunnerDeps {
  self: string;
  model: ClusterModel;
  logger: Logger;
  view: () => EngineView;
  applyFault: (server: string, fault: Fault) => Promise<string>;
  revertFault: (server: string, drill: string) => Promise<void>;
  logTail: (server: string, lines: number) => Promise<LogLine[]>;
  snapshot: (server: string) => Promise<NodeSnapshot>;
}

const POLL_MS = 500;
/** After the fault is taken back, how long the drill may still wait for the service check. */
const GRACE_MS = 60_000;
const TAIL_LINES = 3000;

export class DrillRunner {
  private readonly drills = new Map<string, DrillState>();
  private current: { state: DrillState; context: TimelineContext; url?: string; stop: boolean } | null = null;
  private count = 0;
  private closed = false;

  constructor(private readonly deps: DrillRunnerDeps) {}

  get(id: string): DrillState {
    const state = this.drills.get(id);
    if (!state)
      throw new Error(`no drill ${id} on ${this.deps.self}; drills run from the agent that started them`);
    return state;
  }

  async start(request: DrillRequest, operator: string): Promise<DrillState> {
    if (this.current)
      throw new Error(`drill ${this.current.state.id} is running; stop it first (vigil drill stop)`);
    const plan = this.plan(request);
    const id = `${this.deps.self}-drill-${Date.now()}-${++this.count}`;
    const state: DrillState = {
      id,
      kind: request.kind,
      target: plan.target,
      group: plan.group,
      source: plan.source,
      faultServer: plan.faultServer,
      durationSeconds: request.durationSeconds,
      startedAt: new Date().toISOString(),
      state: 'running',
      message: DRILLS[request.kind].effect,
      timeline: [],
    };
    this.deps.logger.warn('drill-started', {
      drill: id,
      operator,
      kind: request.kind,
      target: plan.target,
      server: plan.faultServer,
    });
    await this.deps.applyFault(plan.faultServer, {
      drill: id,
      kind: request.kind,
      target: plan.target,
      durationMs: request.durationSeconds * 1000,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    this.drills.set(id, state);
    const context: TimelineContext = {
      drill: id,
      kind: request.kind,
      faultServer: plan.faultServer,
      source: plan.source,
      group: plan.group,
      resources: plan.resources,
    };
    this.current = { state, context, url: request.url, stop: false };
    void this.follow(this.current);
    return state;
  }

  async stop(id: string, operator: string): Promise<DrillState> {
    const state = this.get(id);
    if (state.state !== 'running') return state;
    this.deps.logger.info('drill-stop', { drill: id, operator });
    await this.deps.revertFault(state.faultServer, id);
    if (this.current?.state === state) this.current.stop = true;
    return state;
  }

  /** The agent is stopping: end the drill being followed (its fault is taken back by the agent). */
  close(): void {
    this.closed = true;
    if (this.current) this.current.stop = true;
  }

  /** Where the fault goes and which group should move. */
  private plan(request: DrillRequest) {
    const { model } = this.deps;
    const view = this.deps.view();
    const holder = (group: string) =>
      view.groups.find((g) => g.name === group && g.state === 'online')?.server ?? null;
    const resourcesOf = (group: string | null) =>
      model.groups.find((g) => g.name === group)?.resources.map((r) => r.name) ?? [];
    switch (request.kind) {
      case 'dummy-failure': {
        const monitor = model.monitors.find((m) => m.name === request.target);
        if (!monitor)
          throw new Error(
            `no monitor ${request.target}; monitors: ${model.monitors.map((m) => m.name).join(', ')}`,
          );
        const group = monitor.recovery.target.group;
        const source = holder(group);
        if (!source)
          throw new Error(`group ${group} of monitor ${monitor.name} is not online anywhere; start it first`);
        return { target: monitor.name, group, source, faultServer: source, resources: resourcesOf(group) };
      }
      case 'heartbeat-loss': {
        if (!model.servers.some((s) => s.name === request.target))
          throw new Error(
            `no server ${request.target}; servers: ${model.servers.map((s) => s.name).join(', ')}`,
          );
        const group =
          view.groups.find((g) => g.state === 'online' && g.server === request.target)?.name ?? null;
        return {
          target: request.target,
          group,
          source: request.target,
          faultServer: request.target,
          resources: resourcesOf(group),
        };
      }
      case 'process-stop': {
        const [first, second] = request.target.split('/');
        const matches = model.groups.flatMap((g) =>
          g.resources
            .filter((r) => (second === undefined ? r.name === first : g.name === first && r.name === second))
            .map((r) => ({ group: g.name, resource: r })),
        );
        if (matches.length === 0)
          throw new Error(`no resource ${request.target}; give GROUP/RESOURCE of an exec resource`);
        if (matches.length > 1)
          throw new Error(`resource ${request.target} is in several groups; give GROUP/RESOURCE`);
        const { group, resource } = matches[0];
        if (resource.type !== 'exec')
          throw new Error(
            `resource ${group}/${resource.name} is of type ${resource.type}; process-stop needs an exec resource`,
          );
        const source = holder(group);
        if (!source) throw new Error(`group ${group} is not online anywhere; start it first`);
        return {
          target: `${group}/${resource.name}`,
          group,
          source,
          faultServer: source,
          resources: resourcesOf(group),
        };
      }
    }
  }

  private async follow(run: NonNullable<DrillRunner['current']>): Promise<void> {
    const { state } = run;
    const end = Date.now() + state.durationSeconds * 1000 + GRACE_MS;
    try {
      while (Date.now() < end && !this.closed) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        state.timeline = buildTimeline(run.context, await this.collect());
        const has = (step: string) => state.timeline.some((s) => s.step === step);
        if (!has('green')) await this.checkService(run);
        if (has('reverted') && (has('green') || run.stop || state.group === null)) break;
      }
      const has = (step: string) => state.timeline.some((s) => s.step === step);
      state.state = run.stop ? 'stopped' : has('green') || state.group === null ? 'done' : 'failed';
      state.message = has('green')
        ? 'the service was green again on the new server'
        : run.stop
          ? 'stopped on demand'
          : state.group === null
            ? 'no group was active on the server: nothing to fail over'
            : 'the service never checked green on another server';
    } catch (error) {
      state.state = 'failed';
      state.message = `the drill failed: ${(error as Error).message}`;
      await this.deps.revertFault(state.faultServer, state.id).catch(() => undefined);
    } finally {
      this.deps.logger.info('drill-ended', { drill: state.id, state: state.state, message: state.message });
      this.current = null;
    }
  }

  private async collect(): Promise<LogLine[]> {
    const all = await Promise.all(
      this.deps.model.servers.map((s) => this.deps.logTail(s.name, TAIL_LINES).catch(() => [] as LogLine[])),
    );
    return all.flat();
  }

  /** Green: the URL answers 2xx, or every monitor of the group is ok on the group's new server. */
  private async checkService(run: NonNullable<DrillRunner['current']>): Promise<void> {
    const { state } = run;
    const started = state.timeline.find((s) => s.step === 'started');
    if (!started || state.group === null) return;
    let check: string | null = null;
    if (run.url !== undefined) {
      const answer = await fetch(run.url, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (answer?.ok) check = `${run.url} answered ${answer.status}`;
    } else {
      const snapshot = await this.deps.snapshot(started.server).catch(() => null);
      const monitors = this.deps.model.monitors.filter((m) => m.recovery.target.group === state.group);
      const since = Date.parse(started.at);
      const ok = monitors.every((m) => {
        const seen = snapshot?.status.monitors.find((x) => x.name === m.name);
        return seen?.state === 'ok' && seen.last?.ok === true && Date.parse(seen.last.at) >= since;
      });
      if (snapshot && ok)
        check = monitors.length
          ? `monitors ${monitors.map((m) => m.name).join(', ')} ok on ${started.server}`
          : `${state.group} online on ${started.server} (it has no monitors)`;
    }
    if (check)
      this.deps.logger.info('drill-service-green', { drill: state.id, server: started.server, check });
  }
}
