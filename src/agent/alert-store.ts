// Alerts raised anywhere in the cluster, as this server knows them: its own, and those its peers
// sent. Acknowledgements spread the same way; the first acknowledgement of an alert wins. The store
// is bounded and persisted so acknowledged alerts stay acknowledged across restarts.
import type { Alert } from '../engine/io.js';
import type { AlertEntry } from '../control/protocol.js';
import { readJson, writeJsonAtomic } from './persistence.js';

export interface AlertAck {
  ids: string[];
  by: string;
  at: string;
  note: string;
}

export class AlertStore {
  private readonly entries = new Map<string, AlertEntry>();
  private readonly listeners = new Set<(entry: AlertEntry) => void>();

  constructor(
    private readonly file: string | null,
    private readonly capacity = 1000,
  ) {
    if (file) for (const entry of readJson<AlertEntry[]>(file, [])) this.entries.set(entry.id, entry);
  }

  /** An alert the engine raised here; `wallTime` converts its engine time into a date. */
  static fromEngine(alert: Alert, wallTime: Date): AlertEntry {
    const { id, server, severity, kind, message } = alert;
    return { id, server, severity, kind, message, at: wallTime.toISOString(), ack: null };
  }

  list(): AlertEntry[] {
    return [...this.entries.values()].sort((a, b) =>
      a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1,
    );
  }

  /** Adds alerts we did not know yet (or an acknowledgement we lacked); returns the new or changed ones. */
  merge(incoming: AlertEntry[]): AlertEntry[] {
    const changed: AlertEntry[] = [];
    for (const entry of incoming) {
      const known = this.entries.get(entry.id);
      if (!known) {
        this.entries.set(entry.id, { ...entry });
        changed.push(entry);
      } else if (!known.ack && entry.ack) {
        known.ack = { ...entry.ack };
        changed.push(known);
      }
    }
    this.afterChange(changed);
    return changed;
  }

  /** Acknowledges the given alerts (or all unacknowledged ones); returns the acknowledgement applied. */
  acknowledge(ids: string[] | 'all', by: string, note: string, at = new Date()): AlertAck {
    const targets =
      ids === 'all'
        ? this.list()
            .filter((e) => !e.ack)
            .map((e) => e.id)
        : ids;
    const applied: AlertEntry[] = [];
    for (const id of targets) {
      const entry = this.entries.get(id);
      if (entry && !entry.ack) {
        entry.ack = { by, at: at.toISOString(), note };
        applied.push(entry);
      }
    }
    this.afterChange(applied);
    return { ids: applied.map((e) => e.id), by, at: at.toISOString(), note };
  }

  applyAck(ack: AlertAck): AlertEntry[] {
    return this.merge(
      ack.ids.flatMap((id) => {
        const entry = this.entries.get(id);
        return entry ? [{ ...entry, ack: { by: ack.by, at: ack.at, note: ack.note } }] : [];
      }),
    );
  }

  unknownIds(ids: string[]): string[] {
    return ids.filter((id) => !this.entries.has(id));
  }

  counts(): { unacknowledged: number; critical: number } {
    const open = [...this.entries.values()].filter((e) => !e.ack);
    return { unacknowledged: open.length, critical: open.filter((e) => e.severity === 'critical').length };
  }

  onChange(listener: (entry: AlertEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private afterChange(changed: AlertEntry[]): void {
    if (changed.length === 0) return;
    // Oldest acknowledged alerts go first when the store is full, then the oldest of all.
    while (this.entries.size > this.capacity) {
      const list = this.list().reverse();
      const victim = list.find((e) => e.ack) ?? list[0];
      this.entries.delete(victim.id);
    }
    if (this.file) writeJsonAtomic(this.file, this.list());
    for (const entry of changed) for (const listener of this.listeners) listener(entry);
  }
}
