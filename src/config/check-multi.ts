// multi monitors: every monitor they combine must exist, and none may (through others) combine itself.
import { error, type Finding } from './problem.js';
import { items, names, text } from './raw.js';
import { didYouMean } from './suggest.js';

export function checkMulti(data: unknown): Finding[] {
  const monitors = items(data, 'monitors');
  const known = names(monitors);
  const parts = new Map<string, string[]>();
  for (const monitor of monitors) {
    const value = monitor.value as Record<string, unknown>;
    if (text(value, 'type') !== 'multi' || !Array.isArray(value.monitors)) continue;
    parts.set(
      text(value, 'name') ?? '',
      value.monitors.filter((name): name is string => typeof name === 'string'),
    );
  }
  const findings: Finding[] = [];
  for (const monitor of monitors) {
    const name = text(monitor.value, 'name') ?? '';
    const listed = parts.get(name);
    if (text(monitor.value, 'type') !== 'multi' || listed === undefined) continue;
    listed.forEach((part, index) => {
      const path = ['monitors', monitor.index, 'monitors', index];
      if (part === name)
        findings.push(error(path, `multi monitor "${name}" lists itself`, 'remove it from the list'));
      else if (!known.includes(part))
        findings.push(
          error(
            path,
            `unknown monitor "${part}"`,
            didYouMean(part, known, `monitors are: ${known.join(', ')}`),
          ),
        );
    });
    const cycle = findCycle(name, parts);
    if (cycle && !listed.includes(name))
      findings.push(
        error(
          ['monitors', monitor.index, 'monitors'],
          `multi monitors combine each other in a circle: ${cycle.join(' → ')}`,
          'a multi monitor may combine another multi monitor only if that one does not lead back to it',
        ),
      );
  }
  return findings;
}

/** The path from `start` back to itself through multi monitors, if there is one. */
function findCycle(start: string, parts: Map<string, string[]>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): string[] | undefined => {
    for (const next of parts.get(name) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}
