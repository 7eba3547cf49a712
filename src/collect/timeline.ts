// The merged alert timeline of a log bundle: every server's alert list, each alert once (by id),
// oldest first. Servers gossip alerts, so most appear on several; an acknowledged copy wins over an
// unacknowledged one, because acknowledgement is the later state.
import type { AlertEntry } from '../control/protocol.js';

export interface TimelineEntry extends AlertEntry {
  /** The servers whose lists held this alert. */
  reportedBy: string[];
}

export function mergeAlerts(lists: { server: string; alerts: AlertEntry[] }[]): TimelineEntry[] {
  const byId = new Map<string, TimelineEntry>();
  for (const { server, alerts } of lists) {
    for (const alert of alerts) {
      const known = byId.get(alert.id);
      if (!known) {
        byId.set(alert.id, { ...alert, reportedBy: [server] });
        continue;
      }
      if (!known.reportedBy.includes(server)) known.reportedBy.push(server);
      if (known.ack === null && alert.ack !== null) known.ack = alert.ack;
    }
  }
  return [...byId.values()].sort(
    (a, b) => timeOf(a.at) - timeOf(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** One JSON object per line. */
export function timelineJsonLines(entries: TimelineEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/** Unparseable times sort first, so they are seen rather than lost at the end. */
function timeOf(at: string): number {
  const time = Date.parse(at);
  return Number.isNaN(time) ? -Infinity : time;
}
