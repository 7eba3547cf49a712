// One group's resources on this server. Each resource has a wanted state; `reconcile` starts a
// resource once everything it depends on is online and stops it once everything depending on it is
// offline, so independent branches run in parallel and stops go in reverse dependency order.
import type { LocalGroupState, ResourceEvent, ResourceState } from './io.js';
import type { GroupModel } from './model.js';

export interface ResourceAction {
  action: 'start' | 'stop';
  resource: string;
  timeoutMs: number;
}

interface ResourceSlot {
  state: ResourceState;
  want: 'online' | 'offline';
}

export class GroupRunner {
  private readonly slots = new Map<string, ResourceSlot>();
  /** Resources being restarted: once all are offline they are wanted online again. */
  private restarting = new Set<string>();
  /** Until then the shell is killing the group's resources; after it they are gone. */
  fencedUntil: number | null = null;
  /** Why resources start right now: passed to their scripts. */
  event: ResourceEvent = 'START';

  constructor(private readonly model: GroupModel) {
    for (const r of model.resources) this.slots.set(r.name, { state: 'offline', want: 'offline' });
  }

  get name(): string {
    return this.model.name;
  }

  resourceStates(): { name: string; state: ResourceState }[] {
    return this.model.resources.map((r) => ({ name: r.name, state: this.slot(r.name).state }));
  }

  state(): LocalGroupState {
    if (this.fencedUntil !== null) return 'stopping';
    const slots = [...this.slots.values()];
    if (slots.some((s) => s.state === 'failed')) return 'failed';
    // A restart passes through "everything offline" but the group stays held all along.
    if (this.restarting.size > 0) return 'starting';
    if (slots.every((s) => s.want === 'online' && s.state === 'online')) return 'online';
    if (slots.every((s) => s.want === 'offline' && s.state === 'offline')) return 'offline';
    return slots.some((s) => s.want === 'online') ? 'starting' : 'stopping';
  }

  /** True while any resource may be running here (what the claim protocol calls active). */
  isActive(): boolean {
    if (this.fencedUntil !== null || this.restarting.size > 0) return true;
    return [...this.slots.values()].some((s) => s.state !== 'offline' || s.want === 'online');
  }

  wantAll(want: 'online' | 'offline', event: ResourceEvent): void {
    this.event = event;
    this.restarting.clear();
    for (const slot of this.slots.values()) slot.want = want;
  }

  /** After an agent restart we do not know what still runs: treat everything as online and stop it. */
  assumeAllOnline(): void {
    for (const slot of this.slots.values()) slot.state = 'online';
  }

  /** Restart these resources and everything that depends on them. */
  restart(resources: string[], event: ResourceEvent): void {
    this.event = event;
    const set = this.withDependents(resources);
    for (const name of set) {
      this.slot(name).want = 'offline';
      this.restarting.add(name);
    }
  }

  /** Stop one resource (and what depends on it), or start one (and what it depends on). */
  wantResource(resource: string, want: 'online' | 'offline'): void {
    const set = want === 'offline' ? this.withDependents([resource]) : this.withDependencies(resource);
    for (const name of set) this.slot(name).want = want;
  }

  /** The shell finished an action; returns false for a result nobody was waiting for. */
  done(resource: string, action: 'start' | 'stop', ok: boolean): boolean {
    const slot = this.slots.get(resource);
    if (!slot || slot.state !== (action === 'start' ? 'starting' : 'stopping')) return false;
    if (action === 'start') slot.state = ok ? 'online' : 'offline';
    else slot.state = ok ? 'offline' : 'failed';
    return true;
  }

  /** Fencing: the shell kills everything; the resources count as running until the deadline. */
  fence(until: number): void {
    this.fencedUntil = until;
    this.restarting.clear();
    for (const slot of this.slots.values()) slot.want = 'offline';
  }

  /** The next actions to take; marks them in progress. */
  reconcile(now: number): ResourceAction[] {
    if (this.fencedUntil !== null) {
      if (now < this.fencedUntil) return [];
      this.fencedUntil = null;
      for (const slot of this.slots.values()) slot.state = 'offline';
    }
    const actions: ResourceAction[] = [];
    for (const r of this.model.resources) {
      const slot = this.slot(r.name);
      if (slot.want === 'offline' && slot.state === 'online' && this.dependentsOffline(r.name)) {
        slot.state = 'stopping';
        actions.push({ action: 'stop', resource: r.name, timeoutMs: r.stopTimeoutMs });
      }
    }
    if (this.restarting.size > 0 && [...this.restarting].every((n) => this.slot(n).state === 'offline')) {
      for (const name of this.restarting) this.slot(name).want = 'online';
      this.restarting.clear();
    }
    for (const r of this.model.resources) {
      const slot = this.slot(r.name);
      if (slot.want === 'online' && slot.state === 'offline' && this.dependenciesOnline(r.name)) {
        slot.state = 'starting';
        actions.push({ action: 'start', resource: r.name, timeoutMs: r.startTimeoutMs });
      }
    }
    return actions;
  }

  private slot(name: string): ResourceSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`group ${this.model.name} has no resource ${name}`);
    return slot;
  }

  private dependenciesOnline(name: string): boolean {
    const r = this.model.resources.find((x) => x.name === name);
    return (r?.dependsOn ?? []).every((d) => this.slot(d).state === 'online');
  }

  private dependentsOffline(name: string): boolean {
    return this.model.resources
      .filter((r) => r.dependsOn.includes(name))
      .every((r) => this.slot(r.name).state === 'offline');
  }

  private withDependents(names: string[]): Set<string> {
    const set = new Set(names);
    for (let grew = true; grew;) {
      grew = false;
      for (const r of this.model.resources) {
        if (!set.has(r.name) && r.dependsOn.some((d) => set.has(d))) {
          set.add(r.name);
          grew = true;
        }
      }
    }
    return set;
  }

  private withDependencies(name: string): Set<string> {
    const set = new Set([name]);
    const stack = [name];
    while (stack.length > 0) {
      const r = this.model.resources.find((x) => x.name === stack.pop());
      for (const d of r?.dependsOn ?? []) {
        if (!set.has(d)) {
          set.add(d);
          stack.push(d);
        }
      }
    }
    return set;
  }
}
