// Every name used as a reference must exist: policy servers, dependsOn resources, monitor and
// recovery targets, alert operators. Also the rules that tie a monitor type to what it watches.

import { error, warning, type Finding, type PathSegment } from './problem.js';
import { items, names, section, text, texts, type RawItem } from './raw.js';
import { didYouMean } from './suggest.js';

export function checkReferences(data: unknown): Finding[] {
  const servers = items(data, 'servers');
  const groups = items(data, 'groups');
  return [
    ...groups.flatMap((group) => checkGroup(group, servers)),
    ...checkExclusions(groups),
    ...checkAlertOperators(data),
    ...checkPartitionLinks(data, servers),
  ];
}

function checkGroup(group: RawItem, servers: RawItem[]): Finding[] {
  const base: PathSegment[] = ['groups', group.index];
  const serverNames = names(servers);
  const findings: Finding[] = [];
  const listed = new Set<string>();
  for (const { index, value } of texts(group.value, 'policy')) {
    if (!serverNames.includes(value)) {
      findings.push(
        error(
          [...base, 'policy', index],
          `unknown server "${value}"`,
          didYouMean(value, serverNames, `servers are: ${serverNames.join(', ')}`),
        ),
      );
    } else if (listed.has(value)) {
      findings.push(
        error(
          [...base, 'policy', index],
          `server "${value}" is listed twice`,
          'list each server once, most preferred first',
        ),
      );
    }
    listed.add(value);
  }
  const resources = items(group.value, 'resources');
  const resourceNames = names(resources);
  const groupName = text(group.value, 'name') ?? `groups[${group.index}]`;
  for (const resource of resources) {
    const seen = new Set<string>();
    for (const { index, value } of texts(resource.value, 'dependsOn')) {
      const path = [...base, 'resources', resource.index, 'dependsOn', index];
      if (!resourceNames.includes(value)) {
        const otherwise = `resources of group "${groupName}": ${resourceNames.join(', ')}`;
        findings.push(
          error(
            path,
            `unknown resource "${value}" in group "${groupName}"`,
            didYouMean(value, resourceNames, otherwise),
          ),
        );
      } else if (seen.has(value)) {
        findings.push(warning(path, `"${value}" is listed twice`, 'list each dependency once'));
      }
      seen.add(value);
    }
  }
  return findings;
}

function checkExclusions(groups: RawItem[]): Finding[] {
  const users = new Map<string, RawItem[]>();
  for (const group of groups) {
    const rule = text(group.value, 'exclusion');
    if (rule !== undefined) users.set(rule, [...(users.get(rule) ?? []), group]);
  }
  return [...users.entries()]
    .filter(([, members]) => members.length === 1)
    .map(([rule, [only]]) => {
      const group = only as RawItem;
      return warning(
        ['groups', group.index, 'exclusion'],
        `exclusion rule "${rule}" is used by group "${text(group.value, 'name') ?? ''}" only, so it has no effect`,
        'give the same rule to every group that must not share a server with it',
      );
    });
}

function checkAlertOperators(data: unknown): Finding[] {
  const operatorNames = names(items(data, 'operators'));
  return items(data, 'alerts').flatMap((alert) =>
    texts(alert.value, 'operators')
      .filter(({ value }) => !operatorNames.includes(value))
      .map(({ index, value }) =>
        error(
          ['alerts', alert.index, 'operators', index],
          `unknown operator "${value}"`,
          didYouMean(value, operatorNames, `operators are: ${operatorNames.join(', ') || 'none'}`),
        ),
      ),
  );
}

function checkPartitionLinks(data: unknown, servers: RawItem[]): Finding[] {
  const methods = section(data, 'partition').methods;
  if (!Array.isArray(methods)) return [];
  const withCom = servers.filter((server) => server.value.com !== undefined).length;
  return methods.flatMap((method, index) =>
    method === 'com' && withCom < 2
      ? [
          error(
            ['partition', 'methods', index],
            'partition method com needs a com link on at least two servers',
            'add com: /dev/ttyS0 (your serial device) to the servers, or remove com',
          ),
        ]
      : [],
  );
}
