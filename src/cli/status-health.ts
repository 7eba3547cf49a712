// Whether a status snapshot is healthy, and if not, why, in words an operator can act on.
import type { StatusSnapshot } from '../control/protocol.js';

/**
 * Healthy: quorate, every server up, every group that should run online, no monitor in error.
 * Returns the problems; none means healthy.
 */
export function healthProblems(status: StatusSnapshot): string[] {
  const problems: string[] = [];
  if (!status.cluster.quorate) problems.push('the cluster has no quorum');
  for (const server of status.servers)
    if (server.state !== 'up') problems.push(`server ${server.name} is ${server.state}`);
  for (const group of status.groups)
    if (group.run && group.state !== 'online')
      problems.push(`group ${group.name} is ${group.state}${group.server ? ` on ${group.server}` : ''}`);
  for (const monitor of status.monitors)
    if (monitor.state === 'error') problems.push(`monitor ${monitor.name} is in error`);
  return problems;
}
