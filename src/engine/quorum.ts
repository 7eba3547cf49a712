// Network-partition resolution. While every configured server is in mutual contact there is nothing
// to resolve. Otherwise the configured methods are asked in order; each says win, lose or pass (no
// verdict: ask the next one); a method still waiting for its facts makes the decision pending, and a
// decision still pending after the NP deadline is a loss. Majority is decided by the engine alone;
// ping, com, disk and witness need the outside world: the shell gathers those facts while the engine
// asks for resolution and hands them in (NpFacts).
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

/** What the shell found out since resolution began (each fact stamped with when it was gathered). */
export interface NpFacts {
  /** The targets that answered the latest round of pings. */
  ping?: { reachable: string[]; at: number };
  /** Whether the peer at the other end of the serial line answered the latest query. */
  com?: { peerAnswered: boolean; at: number };
  /** This server's hold on the lease of the disk or witness method. */
  lease?: { method: 'disk' | 'witness'; held: boolean; validUntil: number; detail: string; at: number };
}

export type NpBasis = 'all' | 'majority' | 'lease' | 'ping' | 'com' | 'none';

export interface NpDecision {
  verdict: 'win' | 'lose' | 'pending';
  reason: string;
  /**
   * What the win rests on, which decides who must grant a claim: a majority of servers ('all',
   * 'majority'), the lease holder ('lease'), or this server alone ('ping', 'com': the methods that
   * cannot rule out that the other side wins too).
   */
  basis: NpBasis;
  /** With basis 'lease': the server holding the lease for this side. */
  leaseHolder?: string;
}

export interface NpContext {
  self: string;
  servers: readonly string[];
  /** This server and the peers in mutual contact with it. */
  members: readonly string[];
  now: number;
  /** When resolution began (contact with some server was lost); facts older than this do not count. */
  since: number;
  deadlineMs: number;
  facts: NpFacts;
  /** A peer in mutual contact that reports holding the lease, if any. */
  peerLeaseHolder: string | null;
}

type Step =
  | { verdict: 'win' | 'lose'; reason: string; basis?: NpBasis; leaseHolder?: string }
  | { verdict: 'pass'; reason: string }
  | { verdict: 'pending'; reason: string };

/** Asks the configured methods in order; the first that reaches a verdict decides. */
export function resolvePartition(methods: readonly NpMethodModel[], ctx: NpContext): NpDecision {
  if (ctx.servers.every((s) => ctx.members.includes(s))) {
    return { verdict: 'win', reason: `all ${ctx.servers.length} servers in contact`, basis: 'all' };
  }
  const passed: string[] = [];
  for (const [index, method] of methods.entries()) {
    const step = askMethod(method, ctx, index === methods.length - 1);
    if (step.verdict === 'pass') {
      passed.push(step.reason);
      continue;
    }
    const reason = [...passed, step.reason].join('; ');
    if (step.verdict === 'pending') {
      if (ctx.now - ctx.since >= ctx.deadlineMs) {
        return { verdict: 'lose', reason: `no verdict within the NP deadline: ${reason}`, basis: 'none' };
      }
      return { verdict: 'pending', reason, basis: 'none' };
    }
    return {
      verdict: step.verdict,
      reason,
      basis: step.basis ?? 'none',
      ...(step.leaseHolder ? { leaseHolder: step.leaseHolder } : {}),
    };
  }
  return {
    verdict: 'lose',
    reason: `no method reached a verdict: ${passed.join('; ') || 'none'}`,
    basis: 'none',
  };
}

function askMethod(method: NpMethodModel, ctx: NpContext, last: boolean): Step {
  switch (method.kind) {
    case 'majority':
      return majority(ctx, last);
    case 'ping':
      return ping(method, ctx, last);
    case 'com':
      return com(ctx, last);
    case 'disk':
    case 'witness':
      return lease(method.kind, ctx);
  }
}

function majority(ctx: NpContext, last: boolean): Step {
  const count = ctx.servers.filter((s) => ctx.members.includes(s)).length;
  const seen = `${count} of ${ctx.servers.length} servers in contact`;
  if (count * 2 > ctx.servers.length)
    return { verdict: 'win', reason: `majority: ${seen}`, basis: 'majority' };
  if (count * 2 < ctx.servers.length) return { verdict: 'lose', reason: `majority: only ${seen}` };
  // An even split: a later method decides, or else the side with the first server wins.
  if (!last) return { verdict: 'pass', reason: `majority: even split (${seen})` };
  const first = ctx.servers[0] as string;
  return ctx.members.includes(first)
    ? { verdict: 'win', reason: `majority: even split, this side has ${first}`, basis: 'majority' }
    : { verdict: 'lose', reason: `majority: even split, the other side has ${first}` };
}

function ping(method: Extract<NpMethodModel, { kind: 'ping' }>, ctx: NpContext, last: boolean): Step {
  const fact = ctx.facts.ping;
  if (!fact || fact.at < ctx.since)
    return { verdict: 'pending', reason: 'ping: waiting for a round of pings' };
  const answered = method.targets.filter((t) => fact.reachable.includes(t));
  const enough = method.mode === 'all' ? answered.length === method.targets.length : answered.length > 0;
  const seen = `${answered.length} of ${method.targets.length} targets answered`;
  if (!enough)
    return { verdict: 'lose', reason: `ping: ${seen} (${method.mode} needed): this server is cut off` };
  // Reaching the targets says this server is not isolated, not that the other side is gone.
  if (!last) return { verdict: 'pass', reason: `ping: ${seen}` };
  return { verdict: 'win', reason: `ping: ${seen}`, basis: 'ping' };
}

function com(ctx: NpContext, last: boolean): Step {
  const fact = ctx.facts.com;
  if (!fact || fact.at < ctx.since)
    return { verdict: 'pending', reason: 'com: waiting for the peer on the serial line' };
  if (fact.peerAnswered) {
    // Both alive and only the network is cut: the first server in priority order keeps running.
    const first = ctx.servers[0] as string;
    return ctx.self === first
      ? { verdict: 'win', reason: 'com: the peer answered; this server comes first', basis: 'com' }
      : { verdict: 'lose', reason: `com: the peer answered; ${first} comes first` };
  }
  if (!last) return { verdict: 'pass', reason: 'com: no answer on the serial line' };
  return { verdict: 'win', reason: 'com: no answer on the serial line: the peer is down', basis: 'com' };
}

function lease(kind: 'disk' | 'witness', ctx: NpContext): Step {
  if (ctx.peerLeaseHolder) {
    return {
      verdict: 'win',
      reason: `${kind}: ${ctx.peerLeaseHolder} holds the lease for this side`,
      basis: 'lease',
      leaseHolder: ctx.peerLeaseHolder,
    };
  }
  const fact = ctx.facts.lease;
  if (fact && fact.method === kind && fact.held && fact.validUntil > ctx.now) {
    return {
      verdict: 'win',
      reason: `${kind}: this server holds the lease`,
      basis: 'lease',
      leaseHolder: ctx.self,
    };
  }
  if (!fact || fact.at < ctx.since) return { verdict: 'pending', reason: `${kind}: asking for the lease` };
  if (fact.held) return { verdict: 'lose', reason: `${kind}: the lease ran out: ${fact.detail}` };
  return { verdict: 'pending', reason: `${kind}: no lease: ${fact.detail}` };
}

/** Does this set of grants allow a claim, given what the partition decision rests on? */
export function claimQuorum(
  grants: ReadonlySet<string>,
  servers: readonly string[],
  decision: NpDecision,
): boolean {
  switch (decision.basis) {
    case 'all':
    case 'majority':
      return isMajority(grants, servers);
    case 'lease':
      return decision.leaseHolder !== undefined && grants.has(decision.leaseHolder);
    case 'ping':
    case 'com':
      return grants.size > 0;
    case 'none':
      return false;
  }
}
