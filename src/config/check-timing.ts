// Timing budgets that cannot work. The important one: survivors must not take over before a peer
// that lost partition resolution has had time to notice, lose and fence itself, or a group could
// run on two servers at once.

import { defaultMs, minimumTakeoverDelayMs, type TimingMs } from './defaults.js';
import { formatDuration as d } from './durations.js';
import { error, warning, type Finding } from './problem.js';
import { count, durationMs, items, names, section, text, texts } from './raw.js';

export function checkTiming(data: unknown): Finding[] {
  return [
    ...checkClusterTiming(data),
    ...checkMonitorTiming(data),
    ...checkFailoverCounts(data),
    ...checkTwoServerMethods(data),
  ];
}

function checkClusterTiming(data: unknown): Finding[] {
  const timing = section(section(data, 'cluster'), 'timing');
  const path = ['cluster', 'timing'];
  const parts = {
    heartbeatIntervalMs: durationMs(timing, 'heartbeatInterval', defaultMs('heartbeatInterval')),
    heartbeatTimeoutMs: durationMs(timing, 'heartbeatTimeout', defaultMs('heartbeatTimeout')),
    npDeadlineMs: durationMs(timing, 'npDeadline', defaultMs('npDeadline')),
    fenceDeadlineMs: durationMs(timing, 'fenceDeadline', defaultMs('fenceDeadline')),
  };
  if (Object.values(parts).some((value) => value === undefined)) return []; // the schema reports those
  const ms = parts as TimingMs;
  const findings: Finding[] = [];
  if (ms.heartbeatTimeoutMs < 3 * ms.heartbeatIntervalMs) {
    findings.push(
      error(
        [...path, timing.heartbeatTimeout === undefined ? 'heartbeatInterval' : 'heartbeatTimeout'],
        `heartbeatTimeout ${d(ms.heartbeatTimeoutMs)} is less than 3 x heartbeatInterval (${d(3 * ms.heartbeatIntervalMs)})`,
        'one or two late heartbeats would declare a healthy server down; raise heartbeatTimeout or lower heartbeatInterval',
      ),
    );
  }
  const takeover = durationMs(timing, 'takeoverDelay', Number.POSITIVE_INFINITY);
  const minimum = minimumTakeoverDelayMs(ms);
  if (takeover !== undefined && takeover < minimum) {
    findings.push(
      error(
        [...path, 'takeoverDelay'],
        `takeover delay shorter than the time a peer needs to fence itself: ${d(takeover)} < heartbeatTimeout ${d(ms.heartbeatTimeoutMs)} + npDeadline ${d(ms.npDeadlineMs)} + fenceDeadline ${d(ms.fenceDeadlineMs)} = ${d(minimum)}`,
        `set takeoverDelay to at least ${d(minimum)}, or remove it for the default, or a group may run on two servers at once`,
      ),
    );
  }
  return findings;
}

function checkMonitorTiming(data: unknown): Finding[] {
  return items(data, 'monitors').flatMap((monitor) => {
    const interval = durationMs(monitor.value, 'interval', defaultMs('monitorInterval'));
    const timeout = durationMs(monitor.value, 'timeout', defaultMs('monitorTimeout'));
    if (interval === undefined || timeout === undefined || timeout < interval) return [];
    const key = monitor.value.timeout === undefined ? 'interval' : 'timeout';
    return [
      error(
        ['monitors', monitor.index, key],
        `timeout ${d(timeout)} is not shorter than interval ${d(interval)}`,
        'a check must end before the next one starts; lower timeout or raise interval',
      ),
    ];
  });
}

/** A group that can only run on one server cannot be failed over. */
function checkFailoverCounts(data: unknown): Finding[] {
  const serverNames = names(items(data, 'servers'));
  const groups = items(data, 'groups');
  return items(data, 'monitors').flatMap((monitor) => {
    const recovery = section(monitor.value, 'recovery');
    const failover = count(recovery, 'failover');
    const groupName = (text(recovery, 'target') ?? text(monitor.value, 'target'))?.split('/')[0];
    const group = groups.find((candidate) => text(candidate.value, 'name') === groupName);
    if (failover === undefined || group === undefined) return [];
    const policy =
      group.value.policy === undefined
        ? serverNames
        : texts(group.value, 'policy').map((entry) => entry.value);
    if (failover === 0 || policy.length !== 1) return [];
    return [
      error(
        ['monitors', monitor.index, 'recovery', 'failover'],
        `recovery fails group "${groupName}" over ${failover} time${failover === 1 ? '' : 's'}, but its policy has one server (${policy[0] ?? ''})`,
        'set failover: 0, or add servers to the group policy',
      ),
    ];
  });
}

/**
 * On two servers only a lease (disk, witness) can both let the second server take over and keep the
 * two from running a group at once: ping or com deciding alone can split the brain, and majority
 * alone gives every even split to the first server, so the second never takes over from it.
 */
function checkTwoServerMethods(data: unknown): Finding[] {
  const methods = section(data, 'partition').methods;
  const servers = items(data, 'servers');
  if (!Array.isArray(methods) || methods.length === 0 || servers.length !== 2) return [];
  const kinds = methods.map((m) =>
    typeof m === 'string' ? m : typeof m === 'object' && m ? Object.keys(m)[0] : '',
  );
  if (kinds.some((k) => k === 'disk' || k === 'witness')) return [];
  const hazard = kinds.filter((k) => k === 'ping' || k === 'com');
  if (hazard.length > 0 && !kinds.includes('majority')) {
    const which = [...new Set(hazard)].join(' or ');
    return [
      warning(
        ['partition', 'methods'],
        `${which}-only partition resolution on two servers can split the brain: if the interconnect fails while both servers still ${which === 'com' ? 'think the other is down' : 'reach the ping targets'}, both run the groups`,
        'add disk or witness after it',
        'key',
      ),
    ];
  }
  if (kinds.every((k) => k === 'majority')) {
    return [
      warning(
        ['partition', 'methods'],
        'majority alone on two servers gives every split to the first server: the second never takes its groups over, even when the first is down',
        'add disk or witness after majority',
        'key',
      ),
    ];
  }
  return [];
}
