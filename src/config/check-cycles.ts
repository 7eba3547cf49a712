// Resources of a group start in dependency order, so dependsOn must not loop.

import { error, type Finding } from './problem.js';
import { items, text, texts } from './raw.js';

export function checkCycles(data: unknown): Finding[] {
  return items(data, 'groups').flatMap((group) => {
    const resources = items(group.value, 'resources');
    const indexOf = new Map<string, number>();
    for (const resource of resources) {
      const name = text(resource.value, 'name');
      if (name !== undefined && !indexOf.has(name)) indexOf.set(name, resource.index);
    }
    const edges = new Map<string, { to: string; index: number }[]>();
    for (const resource of resources) {
      const name = text(resource.value, 'name');
      if (name === undefined || indexOf.get(name) !== resource.index) continue;
      edges.set(
        name,
        texts(resource.value, 'dependsOn')
          .filter((dep) => indexOf.has(dep.value))
          .map((dep) => ({ to: dep.value, index: dep.index })),
      );
    }
    return findCycles(edges).map((cycle) => {
      // Point at the dependsOn entry of the cycle's first resource (in file order) that closes it.
      const start = cycle.reduce((a, b) =>
        (indexOf.get(a) as number) <= (indexOf.get(b) as number) ? a : b,
      );
      const rotated = [...cycle.slice(cycle.indexOf(start)), ...cycle.slice(0, cycle.indexOf(start))];
      const next = rotated[1 % rotated.length] as string;
      const entry = (edges.get(start) ?? []).find((edge) => edge.to === next);
      return error(
        ['groups', group.index, 'resources', indexOf.get(start) as number, 'dependsOn', entry?.index ?? 0],
        `dependency cycle: ${[...rotated, start].join(' -> ')}`,
        'resources start in dependency order; remove one of these dependsOn entries',
      );
    });
  });
}

/** Each elementary cycle found by depth-first search, once (as a list of names, not closed). */
function findCycles(edges: Map<string, { to: string }[]>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const { to } of edges.get(name) ?? []) {
      if (state.get(to) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(to));
        const key = [...cycle].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
