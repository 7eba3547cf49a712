// Builds a drill's timeline from the agents' own log records: every step is one logged event, with
// the time and server that logged it, so the report matches the logs exactly.
import type { LogLine } from '../control/protocol.js';
import type { DrillKind, StepName, TimelineStep } from './types.js';

export interface TimelineContext {
  drill: string;
  kind: DrillKind;
  /** The server the drill fails (where the fault goes) and the group's server before the drill. */
  faultServer: string;
  source: string | null;
  group: string | null;
  /** The group's resources: started means every one of them started on one other server. */
  resources: string[];
}

const time = (line: LogLine): number => Date.parse(line.at);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function buildTimeline(context: TimelineContext, lines: LogLine[]): TimelineStep[] {
  const sorted = [...lines].sort((a, b) => time(a) - time(b));
  const injected = sorted.find(
    (l) =>
      l.event === 'drill-fault-injected' &&
      l.server === context.faultServer &&
      l.fields.drill === context.drill,
  );
  if (!injected) return [];
  const t0 = Date.parse(injected.at);
  const after = sorted.filter((l) => Date.parse(l.at) >= t0);
  const steps: TimelineStep[] = [];
  const add = (step: StepName, line: LogLine | undefined, detail: string) => {
    if (!line) return;
    steps.push({
      step,
      at: line.at,
      server: line.server,
      event: line.event,
      detail,
      sinceMs: Date.parse(line.at) - t0,
    });
  };
  add('injected', injected, str(injected.fields.message));

  // A monitor's error where the group ran; or a peer losing the silent server.
  const detected = after.find((l) =>
    context.kind === 'heartbeat-loss'
      ? l.event === 'alert' &&
        l.fields.kind === 'server-down' &&
        l.server !== context.faultServer &&
        str(l.fields.message).endsWith(` ${context.faultServer}`)
      : l.event === 'alert' && l.fields.kind === 'monitor-error' && l.server === context.source,
  );
  add('detected', detected, str(detected?.fields.message));

  // The decision of a server that stayed (it lets the group move), else the first one.
  const np =
    after.find((l) => l.event === 'np-decision' && l.server !== context.faultServer) ??
    after.find((l) => l.event === 'np-decision');
  if (np) add('np-decided', np, `${str(np.fields.verdict)}: ${str(np.fields.reason)}`.trim());

  if (context.group !== null && context.source !== null) {
    const group = context.group;
    const source = context.source;
    // Started: the group's latest complete start after detection (a restart in place counts).
    const started = detected
      ? latestStart(
          after.filter((l) => time(l) >= time(detected)),
          group,
          context.resources,
        )
      : undefined;
    const isStop = (l: LogLine) =>
      l.server === source &&
      (((l.event === 'group-offline' || l.event === 'resource-stop-done') && l.fields.group === group) ||
        (l.event === 'fence' && Array.isArray(l.fields.groups) && l.fields.groups.includes(group)));
    // Stopped: the source's last stop before that start (the one the failover waited for).
    const stops = after.filter(isStop);
    const stopped = (started ? stops.filter((l) => time(l) <= time(started)).at(-1) : undefined) ?? stops[0];
    add(
      'stopped',
      stopped,
      stopped?.event === 'fence' ? `fenced: ${str(stopped.fields.reason)}` : `${group} stopped on ${source}`,
    );
    add(
      'started',
      started,
      started
        ? `${group} online on ${started.server}${started.server === source ? ' (restarted in place)' : ''}`
        : '',
    );
  }

  const green = after.find((l) => l.event === 'drill-service-green' && l.fields.drill === context.drill);
  add('green', green, str(green?.fields.check));
  const reverted = after.find(
    (l) =>
      l.event === 'drill-fault-reverted' &&
      l.server === context.faultServer &&
      l.fields.drill === context.drill,
  );
  add('reverted', reverted, `fault taken back (${str(reverted?.fields.why)})`);
  return steps.sort((a, b) => a.sinceMs - b.sinceMs);
}

/** The record that last completed a start of every resource of the group on one server. */
function latestStart(lines: LogLine[], group: string, resources: string[]): LogLine | undefined {
  const done = new Map<string, Set<string>>();
  let last: LogLine | undefined;
  for (const line of lines) {
    if (line.fields.group !== group) continue;
    const set = done.get(line.server) ?? new Set<string>();
    done.set(line.server, set);
    if (line.event === 'resource-stop-done') set.delete(str(line.fields.resource));
    if (line.event !== 'resource-start-done') continue;
    set.add(str(line.fields.resource));
    if (resources.every((r) => set.has(r))) last = line;
  }
  return last;
}
