// Ground truth: which resources are really running where, independent of what any engine believes.
// A group is *active on S* when any of its resources is starting, online or stopping on S. Safety is
// checked incrementally: whenever a resource becomes active, the set of servers where its group is
// active is looked at — a group active on two servers at once is reported at that instant.
import type { ClusterModel } from '../engine/model.js';

export type TruthState = 'offline' | 'starting' | 'online' | 'stopping';

export type DoubleActiveFn = (group: string, servers: string[]) => void;

export class GroundTruth {
  /** server → group → resource → state (absent = offline). */
  private readonly states = new Map<string, Map<string, Map<string, TruthState>>>();
  /** group → server → number of active resources there. */
  private readonly active = new Map<string, Map<string, number>>();
  private readonly resourcesOf = new Map<string, string[]>();
  onDoubleActive: DoubleActiveFn | null = null;

  constructor(model: ClusterModel) {
    for (const g of model.groups) {
      this.active.set(g.name, new Map());
      this.resourcesOf.set(
        g.name,
        g.resources.map((r) => r.name),
      );
    }
    for (const s of model.servers) this.states.set(s.name, new Map());
  }

  get(server: string, group: string, resource: string): TruthState {
    return this.states.get(server)?.get(group)?.get(resource) ?? 'offline';
  }

  set(server: string, group: string, resource: string, state: TruthState): void {
    const byGroup = this.states.get(server);
    if (!byGroup) throw new Error(`truth: unknown server ${server}`);
    let byRes = byGroup.get(group);
    if (!byRes) {
      byRes = new Map();
      byGroup.set(group, byRes);
    }
    const before = byRes.get(resource) ?? 'offline';
    if (before === state) return;
    if (state === 'offline') byRes.delete(resource);
    else byRes.set(resource, state);
    const wasActive = before !== 'offline';
    const isActive = state !== 'offline';
    if (wasActive === isActive) return;
    const counts = this.active.get(group);
    if (!counts) throw new Error(`truth: unknown group ${group}`);
    const n = (counts.get(server) ?? 0) + (isActive ? 1 : -1);
    if (n > 0) counts.set(server, n);
    else counts.delete(server);
    if (isActive && counts.size > 1) this.onDoubleActive?.(group, [...counts.keys()]);
  }

  /** Servers where the group is active now. */
  activeServers(group: string): string[] {
    return [...(this.active.get(group)?.keys() ?? [])];
  }

  isActive(server: string, group: string): boolean {
    return this.active.get(group)?.has(server) ?? false;
  }

  /** Every resource of the group is online on `server`. */
  isOnline(server: string, group: string): boolean {
    const names = this.resourcesOf.get(group) ?? [];
    const byRes = this.states.get(server)?.get(group);
    if (!byRes) return false;
    return names.every((r) => byRes.get(r) === 'online');
  }

  /** Kills the resources of `groups` (all groups when omitted) on `server`; returns what was killed. */
  kill(server: string, groups?: string[]): string[] {
    const byGroup = this.states.get(server);
    if (!byGroup) return [];
    const killed: string[] = [];
    for (const [group, byRes] of [...byGroup]) {
      if (groups && !groups.includes(group)) continue;
      for (const resource of [...byRes.keys()]) {
        killed.push(`${group}/${resource}`);
        this.set(server, group, resource, 'offline');
      }
    }
    return killed;
  }

  /** A compact description of a server's active resources, for reports. */
  describe(server: string): string {
    const parts: string[] = [];
    for (const [group, byRes] of this.states.get(server) ?? []) {
      for (const [res, st] of byRes) parts.push(`${group}/${res}=${st}`);
    }
    return parts.join(' ');
  }
}
