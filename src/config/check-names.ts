// Names must be unique where they are looked up: servers, groups, resources within a group,
// monitors, operators and alert channels. Operators must not share a key either.

import { error, formatPath, type Finding, type PathSegment } from './problem.js';
import { items, text, type RawItem } from './raw.js';

export function checkNames(data: unknown): Finding[] {
  const groups = items(data, 'groups');
  return [
    ...duplicates(items(data, 'servers'), ['servers'], 'server'),
    ...duplicates(groups, ['groups'], 'group'),
    ...groups.flatMap((group) =>
      duplicates(
        items(group.value, 'resources'),
        ['groups', group.index, 'resources'],
        'resource',
        text(group.value, 'name'),
      ),
    ),
    ...duplicates(items(data, 'monitors'), ['monitors'], 'monitor'),
    ...duplicates(items(data, 'operators'), ['operators'], 'operator'),
    ...duplicates(items(data, 'alerts'), ['alerts'], 'alert channel'),
    ...sharedOperatorKeys(items(data, 'operators')),
  ];
}

function duplicates(list: RawItem[], base: PathSegment[], what: string, group?: string): Finding[] {
  const firstIndex = new Map<string, number>();
  const findings: Finding[] = [];
  for (const item of list) {
    const name = text(item.value, 'name');
    if (name === undefined || name === '') continue; // the schema reports empty names
    const first = firstIndex.get(name);
    if (first === undefined) {
      firstIndex.set(name, item.index);
      continue;
    }
    const where = group === undefined ? '' : ` in group "${group}"`;
    findings.push(
      error(
        [...base, item.index, 'name'],
        `duplicate ${what} name "${name}"${where}`,
        `${formatPath([...base, first])} already has it; rename one`,
      ),
    );
  }
  return findings;
}

function sharedOperatorKeys(operators: RawItem[]): Finding[] {
  const owner = new Map<string, string>();
  const findings: Finding[] = [];
  for (const operator of operators) {
    const line = text(operator.value, 'key');
    const name = text(operator.value, 'name') ?? `operators[${operator.index}]`;
    if (line === undefined) continue;
    const key = line.trim().split(/\s+/).slice(0, 2).join(' '); // the comment does not make a key different
    const first = owner.get(key);
    if (first === undefined) owner.set(key, name);
    else {
      findings.push(
        error(
          ['operators', operator.index, 'key'],
          `operator "${name}" has the same key as operator "${first}"`,
          'give every person their own key, or the audit log cannot tell them apart',
        ),
      );
    }
  }
  return findings;
}
