// The liveness invariant and its bound. After the faults stop (every network fault healed, crashed
// servers restarted unless powered off, the cluster resumed if an operator had suspended it), within
// the bound below every group must be where its intent says:
//   - run intent true (in the views of the quorate servers): online — every resource running in
//     ground truth — on exactly one server, and that server is in the group's policy, provided a
//     legal server exists: an up server of the policy in a connected majority (all up servers are
//     connected after the heal; exactly half counts when it holds the first server of the model);
//   - run intent false: offline everywhere.
//
// Bound (ms), from the model's timing and the simulated shell:
//   restart  = fenceDeadline + rebootMax                 a fence-reboot that began just before the heal
//   detect   = heartbeatTimeout + npDeadline + takeoverDelay (+ lease)
//                                                         a peer that died just before the heal is
//                                                         declared down and presumed fenced; with a
//                                                         disk or witness method, lease = heartbeat-
//                                                         Timeout + npDeadline/2 + fenceDeadline
//   claims   = claimRounds × (heartbeatInterval + maxDelay + tick) + heartbeatInterval × servers
//                                                         reports spread by heartbeat, then claim/grant
//                                                         rounds, and the claim retry back-off of the
//                                                         last server in priority order
//   work     = max over groups of Σ resources (stopTimeout + startTimeout + resourceMax)
//                                                         a slow stop or a failing start still in
//                                                         flight, then a normal start of every resource
//   cooldown = startFailureCooldown (10 × heartbeatTimeout) if the schedule injects start failures,
//              else 0                                     a server that failed to start a group leaves
//                                                         it to the others for that long
//   bound    = restart + detect + claims + work + cooldown
// The check runs once, at heal + settle + bound (settle: the pause before resuming a suspended cluster).
import type { ClusterModel } from '../engine/model.js';
import type { EngineView } from '../engine/io.js';
import type { ShellTiming } from './node.js';
import type { GroundTruth } from './truth.js';

export const claimRounds = 4;
/** The engine's start-failure cooldown, in heartbeat timeouts (engine.ts: startFailureCooldownTimeouts). */
export const startFailureCooldownTimeouts = 10;

export interface LivenessBound {
  restartMs: number;
  detectMs: number;
  claimsMs: number;
  workMs: number;
  cooldownMs: number;
  totalMs: number;
}

export function livenessBound(
  model: ClusterModel,
  shell: ShellTiming,
  maxDelayMs: number,
  startFailures = true,
): LivenessBound {
  const t = model.timing;
  const restartMs = t.fenceDeadlineMs + shell.rebootMs[1];
  // A lease method adds: the lease of a crashed holder running out, a non-holder's later request,
  // and the fence deadline a new holder waits before its lease counts.
  const lease = model.partition.methods.some((m) => m.kind === 'disk' || m.kind === 'witness');
  const leaseMs = lease ? t.heartbeatTimeoutMs + t.npDeadlineMs / 2 + t.fenceDeadlineMs : 0;
  const detectMs = t.heartbeatTimeoutMs + t.npDeadlineMs + t.takeoverDelayMs + leaseMs;
  const claimsMs =
    claimRounds * (t.heartbeatIntervalMs + maxDelayMs + shell.tickMs) +
    t.heartbeatIntervalMs * model.servers.length;
  let workMs = 0;
  for (const g of model.groups) {
    let w = 0;
    for (const r of g.resources) w += r.stopTimeoutMs + r.startTimeoutMs + shell.resourceMs[1];
    workMs = Math.max(workMs, w);
  }
  const cooldownMs = startFailures ? startFailureCooldownTimeouts * t.heartbeatTimeoutMs : 0;
  return {
    restartMs,
    detectMs,
    claimsMs,
    workMs,
    cooldownMs,
    totalMs: restartMs + detectMs + claimsMs + workMs + cooldownMs,
  };
}

/** Majority as the engine counts it: more than half, or exactly half holding the first server. */
export function isMajorityOf(members: readonly string[], servers: readonly string[]): boolean {
  const count = servers.filter((s) => members.includes(s)).length;
  if (count * 2 > servers.length) return true;
  return count * 2 === servers.length && servers.length > 0 && members.includes(servers[0]!);
}

export interface LivenessInput {
  model: ClusterModel;
  truth: GroundTruth;
  /** Servers whose agent is up now (all connected: the network is healed). */
  up: string[];
  /** Views of the up servers. */
  views: Map<string, EngineView>;
}

/** Returns the problems found (empty when the invariant holds). */
export function checkLiveness({ model, truth, up, views }: LivenessInput): string[] {
  const problems: string[] = [];
  const servers = model.servers.map((s) => s.name);
  const majority = isMajorityOf(up, servers);
  const quorate = up.filter((s) => views.get(s)?.quorate);
  if (majority && quorate.length === 0) {
    problems.push(`no quorate server although ${up.join(',')} are up and connected (a majority)`);
  }
  for (const group of model.groups) {
    const runs = new Set<boolean>();
    for (const s of quorate) {
      const g = views.get(s)!.groups.find((x) => x.name === group.name);
      if (g) runs.add(g.run);
    }
    if (runs.size > 1) {
      problems.push(`group ${group.name}: quorate servers disagree on its run intent`);
      continue;
    }
    const online = servers.filter((s) => truth.isOnline(s, group.name));
    const active = truth.activeServers(group.name);
    if (runs.size === 0) continue; // nobody quorate: nothing is required
    const run = [...runs][0]!;
    if (!run) {
      if (active.length > 0)
        problems.push(`group ${group.name}: stopped by intent but active on ${active.join(',')}`);
      continue;
    }
    const legal = majority ? group.policy.filter((s) => up.includes(s)) : [];
    if (legal.length === 0) continue;
    if (online.length !== 1) {
      const where = active.length ? `active (not fully online) on ${active.join(',')}` : 'active nowhere';
      problems.push(
        `group ${group.name}: should run (legal servers ${legal.join(',')}) but is online on ${online.length ? online.join(',') : 'no server'}${online.length ? '' : `, ${where}`}`,
      );
    } else if (!group.policy.includes(online[0]!)) {
      problems.push(
        `group ${group.name}: online on ${online[0]} which is not in its policy ${group.policy.join(',')}`,
      );
    }
  }
  return problems;
}
