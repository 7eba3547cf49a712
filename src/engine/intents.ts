// Cluster-wide operator intents: the cluster's mode, whether each group should run and where, and
// which monitors are suspended. Any server can change one; heartbeats spread them, and the highest
// version wins (ties broken by server name), so every server converges on the same intents.
import type { IntentRecord, IntentValue } from './io.js';
import type { ClusterModel } from './model.js';

export type ClusterMode = 'running' | 'stopped' | 'suspended';
export type GroupIntent = Extract<IntentValue, { kind: 'group' }>;

export const clusterKey = 'cluster';
export const groupKey = (group: string): string => `group:${group}`;
export const monitorKey = (monitor: string): string => `monitor:${monitor}`;

function newer(a: IntentRecord, b: IntentRecord | undefined): boolean {
  if (!b) return true;
  if (a.version !== b.version) return a.version > b.version;
  return a.by > b.by;
}

export class Intents {
  private records: Record<string, IntentRecord>;

  constructor(
    private readonly model: ClusterModel,
    initial: Record<string, IntentRecord> = {},
  ) {
    this.records = { ...initial };
  }

  all(): Record<string, IntentRecord> {
    return this.records;
  }

  /** Adopts every record that is newer than ours; returns whether anything changed. */
  merge(remote: Record<string, IntentRecord>): boolean {
    let changed = false;
    for (const [key, record] of Object.entries(remote)) {
      if (!this.isKnownKey(key) || record.value.kind !== this.kindOf(key)) continue;
      if (newer(record, this.records[key])) {
        this.records[key] = record;
        changed = true;
      }
    }
    return changed;
  }

  set(key: string, value: IntentValue, by: string): void {
    const version = (this.records[key]?.version ?? 0) + 1;
    this.records[key] = { version, by, value };
  }

  clusterMode(): ClusterMode {
    const value = this.records[clusterKey]?.value;
    return value?.kind === 'cluster' ? value.mode : 'running';
  }

  group(group: string): GroupIntent {
    const value = this.records[groupKey(group)]?.value;
    if (value?.kind === 'group') return value;
    const model = this.model.groups.find((g) => g.name === group);
    return { kind: 'group', run: model?.startup !== 'manual' };
  }

  monitorSuspended(monitor: string): boolean {
    const value = this.records[monitorKey(monitor)]?.value;
    return value?.kind === 'monitor' ? value.suspended : false;
  }

  /** The suspended monitors, in one pass over the intents (for deciding about every monitor at once). */
  suspendedMonitors(): Set<string> {
    const suspended = new Set<string>();
    for (const [key, record] of Object.entries(this.records))
      if (record.value?.kind === 'monitor' && record.value.suspended && key.startsWith('monitor:'))
        suspended.add(key.slice('monitor:'.length));
    return suspended;
  }

  private kindOf(key: string): IntentValue['kind'] | null {
    if (key === clusterKey) return 'cluster';
    if (key.startsWith('group:')) return 'group';
    if (key.startsWith('monitor:')) return 'monitor';
    return null;
  }

  /** Ignore intents about things this configuration does not have (a peer on another config version). */
  private isKnownKey(key: string): boolean {
    if (key === clusterKey) return true;
    if (key.startsWith('group:')) return this.model.groups.some((g) => groupKey(g.name) === key);
    if (key.startsWith('monitor:')) return this.model.monitors.some((m) => monitorKey(m.name) === key);
    return false;
  }
}
