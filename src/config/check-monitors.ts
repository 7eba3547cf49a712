// Monitors: their target and recovery target must exist, and a type that watches a kind of
// resource (pid watches a long-running exec) must point at one.

import { error, type Finding, type PathSegment } from './problem.js';
import { items, names, section, text, type RawItem } from './raw.js';
import { didYouMean } from './suggest.js';
import { monitorTypes, resourceTypes } from './types/index.js';

interface Target {
  group: RawItem;
  resource?: RawItem;
}

export function checkMonitors(data: unknown): Finding[] {
  const groups = items(data, 'groups');
  return items(data, 'monitors').flatMap((monitor) => checkMonitor(monitor, groups));
}

function checkMonitor(monitor: RawItem, groups: RawItem[]): Finding[] {
  const base: PathSegment[] = ['monitors', monitor.index];
  const findings: Finding[] = [];
  const targetText = text(monitor.value, 'target');
  const target =
    targetText === undefined ? undefined : resolveTarget(targetText, groups, [...base, 'target'], findings);
  findings.push(...checkWatchedResource(monitor, targetText, target));
  if (monitor.value.timing === 'active' && targetText === undefined) {
    findings.push(
      error(
        [...base, 'timing'],
        'timing "active" needs a target to be active',
        'add a target, or use timing: always',
      ),
    );
  }
  const recovery = section(monitor.value, 'recovery');
  const recoveryTarget = text(recovery, 'target');
  if (recoveryTarget !== undefined)
    resolveTarget(recoveryTarget, groups, [...base, 'recovery', 'target'], findings);
  else if (targetText === undefined && recovery.target === undefined) {
    findings.push(
      error(
        [...base, 'recovery', 'target'],
        'the monitor has no target, so its recovery needs one',
        'write the group (or group/resource) to restart and fail over',
      ),
    );
  }
  return findings;
}

/** Types that watch a kind of resource (pid: a long-running exec) must point at one. */
function checkWatchedResource(
  monitor: RawItem,
  targetText: string | undefined,
  target: Target | undefined,
): Finding[] {
  const typeName = text(monitor.value, 'type') ?? '';
  const watches = Object.hasOwn(monitorTypes, typeName) ? monitorTypes[typeName]?.watches : undefined;
  if (!watches) return [];
  const path = ['monitors', monitor.index, 'target'];
  const kinds = `type ${watches.resourceTypes.join(' or ')}`;
  if (targetText === undefined) {
    return [
      error(
        path,
        `a ${typeName} monitor needs a target: the resource (of ${kinds}) it watches`,
        'write target: group/resource',
      ),
    ];
  }
  if (target && !target.resource) {
    return [
      error(
        path,
        `a ${typeName} monitor watches a resource, not a whole group`,
        `write target: ${targetText}/<resource of ${kinds}>`,
      ),
    ];
  }
  if (!target?.resource) return []; // a dangling target is reported already
  const resourceType = text(target.resource.value, 'type') ?? '';
  const resourceName = text(target.resource.value, 'name') ?? '';
  if (!Object.hasOwn(resourceTypes, resourceType)) return []; // the schema reports unknown types
  if (!watches.resourceTypes.includes(resourceType)) {
    return [
      error(
        path,
        `a ${typeName} monitor watches a resource of ${kinds}, but "${resourceName}" is of type ${resourceType}`,
        'point it at another resource, or use another monitor type',
      ),
    ];
  }
  const problem = watches.check?.(target.resource.value, resourceName);
  return problem ? [error(path, problem.message, problem.hint)] : [];
}

/** Resolves "group" or "group/resource", reporting what does not exist. */
export function resolveTarget(
  ref: string,
  groups: RawItem[],
  path: PathSegment[],
  findings: Finding[],
): Target | undefined {
  const [groupName = '', resourceName] = ref.split('/');
  const groupNames = names(groups);
  const group = groups.find((candidate) => text(candidate.value, 'name') === groupName);
  if (!group) {
    findings.push(
      error(
        path,
        `unknown group "${groupName}"`,
        didYouMean(groupName, groupNames, `groups are: ${groupNames.join(', ') || 'none'}`),
      ),
    );
    return undefined;
  }
  if (resourceName === undefined) return { group };
  const resources = items(group.value, 'resources');
  const resource = resources.find((candidate) => text(candidate.value, 'name') === resourceName);
  if (!resource) {
    const resourceNames = names(resources);
    findings.push(
      error(
        path,
        `group "${groupName}" has no resource "${resourceName}"`,
        didYouMean(resourceName, resourceNames, `its resources: ${resourceNames.join(', ')}`),
      ),
    );
    return undefined;
  }
  return { group, resource };
}
