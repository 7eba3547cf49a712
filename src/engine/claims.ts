// The claim protocol: the rule that keeps a group active on at most one server.
//
// Before activating a group a server claims it under a new epoch and needs grants from a majority
// (isMajority). A server grants only when, as far as it knows, nobody else may be running the group:
//   1. the epoch is newer than any it has seen for the group;
//   2. the last grant it gave for the group (to someone else) is settled: that claimant has since
//      reported being done with that epoch, or has been silent long enough to have fenced itself;
//   3. no other server reports the group active, unless that server has been silent long enough to
//      have fenced itself (the takeover delay).
// Any two majorities share a server, and that server refuses the second claim while the first may
// still be live, so two servers never hold grants for a group at once; a holder that loses contact
// with the majority fences itself before the takeover delay has passed.
import type { GroupReport } from './messages.js';

export interface GrantRecord {
  to: string;
  epoch: number;
  incarnation: number;
}

export interface GrantContext {
  self: string;
  /** Highest epoch this server has seen for the group. */
  highestEpoch: number;
  lastGrant: GrantRecord | undefined;
  /** What each server reports about the group (this server's own report included), or null if unknown. */
  reportOf(server: string): GroupReport | null;
  /** Every other server that might be running the group: all servers but the claimant. */
  servers: readonly string[];
  /** Silent long enough to have fenced itself (never true for this server itself). */
  presumedFenced(server: string): boolean;
  incarnationOf(server: string): number;
}

export type GrantDecision = { grant: true } | { grant: false; reason: string };

const activeStates = new Set(['starting', 'online', 'stopping', 'failed']);

export function mayBeActive(report: GroupReport | null): boolean {
  return report === null || activeStates.has(report.state) || report.claiming !== undefined;
}

/** Has the claimant of an earlier grant visibly finished with it? */
function grantSettled(ctx: GrantContext, grant: GrantRecord): boolean {
  if (ctx.presumedFenced(grant.to)) return true;
  // A restarted claimant forgot its claim; it re-learns its groups' states before claiming again.
  const report = ctx.reportOf(grant.to);
  if (ctx.incarnationOf(grant.to) > grant.incarnation && report && !mayBeActive(report)) return true;
  return report !== null && report.epoch >= grant.epoch && !mayBeActive(report);
}

export function decideGrant(ctx: GrantContext, claimant: string, epoch: number): GrantDecision {
  if (epoch <= ctx.highestEpoch) {
    return { grant: false, reason: `epoch ${epoch} is not newer than ${ctx.highestEpoch}` };
  }
  const last = ctx.lastGrant;
  if (last && last.to !== claimant && !grantSettled(ctx, last)) {
    return { grant: false, reason: `granted to ${last.to} under epoch ${last.epoch}, not settled yet` };
  }
  for (const server of ctx.servers) {
    if (server === claimant) continue;
    const report = ctx.reportOf(server);
    if (!mayBeActive(report)) continue;
    if (server !== ctx.self && ctx.presumedFenced(server)) continue;
    const what = report
      ? `reports it ${report.claiming !== undefined ? 'claiming' : report.state}`
      : 'not heard yet';
    return { grant: false, reason: `${server} ${what}` };
  }
  return { grant: true };
}

/** A claim this server is collecting grants for. */
export interface PendingClaim {
  epoch: number;
  grants: Set<string>;
  deadline: number;
}
