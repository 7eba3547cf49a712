// Invariants checked while a simulation runs (safety is checked by the ground truth itself, see
// truth.ts; liveness at the end, see liveness.ts): recovery-ladder counters never exceed their limits,
// in the engine's view and in the state it persists.
import type { ClusterModel } from '../engine/model.js';
import type { EngineView, PersistedState } from '../engine/io.js';

export class LadderLimits {
  private readonly limits = new Map<string, { reactivate: number; failover: number }>();

  constructor(model: ClusterModel) {
    for (const m of model.monitors) {
      this.limits.set(m.name, { reactivate: m.recovery.reactivate, failover: m.recovery.failover });
    }
  }

  get empty(): boolean {
    return this.limits.size === 0;
  }

  checkView(view: EngineView): string | null {
    for (const m of view.monitors) {
      const problem = this.check(m.name, m.reactivations, m.failovers);
      if (problem) return `view of ${view.server}: ${problem}`;
    }
    return null;
  }

  checkPersisted(server: string, state: PersistedState): string | null {
    for (const [name, c] of Object.entries(state.ladder ?? {})) {
      const problem = this.check(name, c.reactivations, c.failovers);
      if (problem) return `state persisted by ${server}: ${problem}`;
    }
    return null;
  }

  private check(monitor: string, reactivations: number, failovers: number): string | null {
    const limit = this.limits.get(monitor);
    if (!limit) return null;
    if (reactivations > limit.reactivate) {
      return `monitor ${monitor} has ${reactivations} reactivations, limit ${limit.reactivate}`;
    }
    if (failovers > limit.failover)
      return `monitor ${monitor} has ${failovers} failovers, limit ${limit.failover}`;
    return null;
  }
}
