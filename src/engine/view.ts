// The status view of one engine: the cluster as this server sees it.
import type { Engine } from './engine.js';
import { mayBeActive } from './claims.js';
import type { EngineView, GroupState, ServerState } from './io.js';

function serverState(engine: Engine, name: string): ServerState {
  if (name === engine.self) {
    const service = engine.service();
    return service === 'running' ? 'up' : service;
  }
  const hb = engine.membership.report(name, engine.now);
  if (!hb) return 'down';
  return hb.service === 'running' ? 'up' : hb.service;
}

function groupView(engine: Engine, name: string): EngineView['groups'][number] {
  const local = engine.selfReport(name);
  const intent = engine.intents.group(name);
  let server: string | null = null;
  let state: GroupState = 'offline';
  let epoch = local.epoch;
  for (const candidate of engine.servers) {
    const report = engine.reportOf(candidate, name);
    if (report && mayBeActive(report) && report.claiming === undefined) {
      server = candidate;
      state = report.state;
      epoch = report.epoch;
      break;
    }
  }
  if (state === 'stopping' && intent.run && intent.preferred && intent.preferred !== server) state = 'moving';
  return {
    name,
    state,
    server,
    epoch,
    local: engine.runner(name).isActive() ? local.state : 'offline',
    run: intent.run,
  };
}

export function buildView(engine: Engine): EngineView {
  const now = engine.now;
  return {
    cluster: engine.model.name,
    server: engine.self,
    incarnation: engine.incarnation,
    now,
    service: engine.service(),
    quorate: engine.quorate,
    np: { ...engine.np },
    servers: engine.servers.map((name) => ({
      name,
      state: serverState(engine, name),
      health: engine.healthOf(name),
      links: name === engine.self ? [] : engine.membership.links(name, now),
    })),
    groups: engine.model.groups.map((g) => groupView(engine, g.name)),
    resources: engine.model.groups.flatMap((g) =>
      engine
        .runner(g.name)
        .resourceStates()
        .map((r) => ({ group: g.name, name: r.name, state: r.state })),
    ),
    monitors: [...engine.monitors.values()].map((tracker) => {
      const { model } = tracker;
      const suspended = engine.intents.monitorSuspended(model.name);
      return {
        name: model.name,
        state: suspended ? 'suspended' : tracker.state,
        suspended,
        failures: tracker.failures,
        reactivations: tracker.counters.reactivations,
        failovers: tracker.counters.failovers,
        limits: {
          retries: model.retries,
          reactivate: model.recovery.reactivate,
          failover: model.recovery.failover,
          final: model.recovery.final,
        },
      };
    }),
  };
}
