// Network-partition resolution. A method looks at what this server can see and says whether it is
// on the winning side. Majority is built in; the methods that need the outside world (ping, disk,
// com, witness) arrive with their links and report through the same interface.
import type { NpMethodModel } from './model.js';

/**
 * More than half of the configured servers, or exactly half when the set holds the first server in
 * priority order. Any two such sets share a server, which is what makes the claim protocol safe.
 */
export function isMajority(members: Iterable<string>, servers: readonly string[]): boolean {
  const set = new Set(members);
  const count = servers.filter((s) => set.has(s)).length;
  if (count * 2 > servers.length) return true;
  return count * 2 === servers.length && servers.length > 0 && set.has(servers[0]);
}

export interface NpDecision {
  verdict: 'win' | 'lose';
  reason: string;
}

export interface NpContext {
  servers: readonly string[];
  /** This server and the peers in mutual contact with it. */
  members: readonly string[];
}

/** Asks the configured methods in order; the first that reaches a verdict decides. */
export function resolvePartition(methods: readonly NpMethodModel[], ctx: NpContext): NpDecision {
  const skipped: string[] = [];
  for (const method of methods) {
    if (method.kind === 'majority') {
      const seen = `${ctx.members.length} of ${ctx.servers.length} servers in contact`;
      return isMajority(ctx.members, ctx.servers)
        ? { verdict: 'win', reason: `majority: ${seen}` }
        : { verdict: 'lose', reason: `majority: only ${seen}` };
    }
    skipped.push(method.kind);
  }
  return {
    verdict: 'lose',
    reason: `no method reached a verdict${skipped.length ? ` (not available in the engine yet: ${skipped.join(', ')})` : ''}`,
  };
}
