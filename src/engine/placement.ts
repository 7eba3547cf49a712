// Where a group should run, as this server sees the cluster. Every server computes it the same way
// from the same (gossiped) intents, so they agree once their views agree; while they disagree the
// claim protocol keeps the group on at most one server.
import type { GroupIntent } from './intents.js';
import type { GroupModel } from './model.js';

export interface PlacementContext {
  /** May this server run the group now (up, in quorum, service running, not blocked, exclusion free)? */
  eligible(server: string): boolean;
  /** The server where the group is active, if any. */
  holder: string | null;
}

export function chooseTarget(group: GroupModel, intent: GroupIntent, ctx: PlacementContext): string | null {
  if (!intent.run) return null;
  const eligible = group.policy.filter((s) => ctx.eligible(s));
  // A server the recovery ladder failed the group away from is the last resort, not excluded.
  const ordered = [
    ...eligible.filter((s) => s !== intent.avoid),
    ...eligible.filter((s) => s === intent.avoid),
  ];
  if (ordered.length === 0) return ctx.holder;
  if (intent.preferred && ordered.includes(intent.preferred)) return intent.preferred;
  const holderAvoided = ctx.holder === intent.avoid && ordered[0] !== intent.avoid;
  if (ctx.holder && ordered.includes(ctx.holder) && !holderAvoided) {
    if (group.failback === 'manual' || ctx.holder === ordered[0]) return ctx.holder;
  }
  return ordered[0];
}
