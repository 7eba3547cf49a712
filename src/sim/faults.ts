// Faults that are not in the network: resource actions that are slow, fail or time out, and monitors
// made to fail. Each is an identified entry, so overlapping faults end independently. `server` null
// means every server.

export type ResourceMode = 'normal' | 'slow' | 'fail' | 'timeout';

export interface ResourceFault {
  server: string | null;
  group: string;
  /** null: every resource of the group. */
  resource: string | null;
  action: 'start' | 'stop';
  mode: Exclude<ResourceMode, 'normal'>;
}

export interface MonitorFault {
  server: string | null;
  monitor: string;
}

/** A server cut off from its ping targets, or from the arbiter of the disk and witness methods. */
export interface NpFault {
  server: string;
  what: 'ping' | 'arbiter';
}

export class FaultBook {
  private readonly resources = new Map<number, ResourceFault>();
  private readonly monitors = new Map<number, MonitorFault>();
  private readonly np = new Map<number, NpFault>();
  private nextId = 1;

  addResource(fault: ResourceFault): number {
    const id = this.nextId++;
    this.resources.set(id, fault);
    return id;
  }

  addMonitor(fault: MonitorFault): number {
    const id = this.nextId++;
    this.monitors.set(id, fault);
    return id;
  }

  addNp(fault: NpFault): number {
    const id = this.nextId++;
    this.np.set(id, fault);
    return id;
  }

  remove(id: number): void {
    this.resources.delete(id);
    this.monitors.delete(id);
    this.np.delete(id);
  }

  clear(): void {
    this.resources.clear();
    this.monitors.clear();
    this.np.clear();
  }

  npCut(server: string, what: NpFault['what']): boolean {
    for (const f of this.np.values()) if (f.server === server && f.what === what) return true;
    return false;
  }

  /** The worst mode that applies (timeout > fail > slow > normal). */
  resourceMode(server: string, group: string, resource: string, action: 'start' | 'stop'): ResourceMode {
    if (this.resources.size === 0) return 'normal';
    let mode: ResourceMode = 'normal';
    for (const f of this.resources.values()) {
      if (f.action !== action || f.group !== group) continue;
      if (f.server !== null && f.server !== server) continue;
      if (f.resource !== null && f.resource !== resource) continue;
      if (rank(f.mode) > rank(mode)) mode = f.mode;
    }
    return mode;
  }

  monitorFails(server: string, monitor: string): boolean {
    if (this.monitors.size === 0) return false;
    for (const f of this.monitors.values()) {
      if (f.monitor === monitor && (f.server === null || f.server === server)) return true;
    }
    return false;
  }
}

function rank(mode: ResourceMode): number {
  return mode === 'normal' ? 0 : mode === 'slow' ? 1 : mode === 'fail' ? 2 : 3;
}
