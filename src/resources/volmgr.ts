// volmgr: an LVM volume group activated on one server at a time, guarded by LVM tags. The server that
// runs it tags the VG `vigil_SERVER`; with `volume_list = [ "@vigil_SERVER", … ]` in each server's
// lvm.conf, LVM itself refuses to activate a VG that does not carry the local server's tag. A tag of
// another server is removed only on a FAILOVER (the engine declared that server dead and fenced it).
// See docs/resources.md.
import type { ResourceContext, ResourceDriver } from './driver.js';
import { describeToolFailure } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface VolmgrParams {
  vg: string;
  takeover: 'failover' | 'never';
  /** This server's tag: vigil_SERVER. */
  tag: string;
}

interface VgState {
  tags: string[];
  /** Active state of each LV, by name. */
  lvs: Map<string, boolean>;
}

export const TAG_PREFIX = 'vigil_';

export function createVolmgrDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<VolmgrParams>(
    {
      readParams: (params, ctx: ResourceContext) => {
        const reader = new ParamReader('volmgr', params);
        return {
          vg: reader.string('vg'),
          takeover: reader.oneOf('takeover', ['failover', 'never'] as const, 'failover'),
          tag: `${TAG_PREFIX}${ctx.server}`,
        };
      },

      async start(s, p) {
        const state = await readVg(s, p.vg);
        if (typeof state === 'string') return failed(state);
        const others = state.tags.filter((tag) => tag.startsWith(TAG_PREFIX) && tag !== p.tag);
        if (others.length > 0) {
          if (p.takeover !== 'failover' || s.ctx.event !== 'FAILOVER')
            return failed(refusal(p, others, s.ctx.event));
          for (const tag of others) {
            s.ctx.logger.warn('volmgr-takeover', {
              group: s.ctx.group,
              resource: s.ctx.resource.name,
              vg: p.vg,
              tag,
            });
            const removed = await s.run(['vgchange', '--deltag', tag, p.vg]);
            if (!removed.ok)
              return failed(
                `could not remove tag ${tag} from ${p.vg} to take it over: ${describeToolFailure(removed)}`,
              );
          }
        }
        if (!state.tags.includes(p.tag)) {
          const tagged = await s.run(['vgchange', '--addtag', p.tag, p.vg]);
          if (!tagged.ok)
            return failed(`could not tag ${p.vg} with ${p.tag}: ${describeToolFailure(tagged)}`);
        }
        const activated = await s.run(['vgchange', '-ay', p.vg]);
        if (!activated.ok)
          return failed(`could not activate ${p.vg}: ${describeToolFailure(activated)}${lvmConfHint(p)}`);
        const after = await readVg(s, p.vg);
        if (typeof after === 'string') return failed(after);
        const inactive = [...after.lvs].filter(([, active]) => !active).map(([name]) => name);
        if (inactive.length > 0)
          return failed(`vgchange -ay ${p.vg} left ${inactive.join(', ')} inactive${lvmConfHint(p)}`);
        const takeover = others.length > 0 ? ` (took it over from ${others.join(', ')})` : '';
        return {
          ok: true,
          detail: `${p.vg} is active with ${after.lvs.size} LV(s), tagged ${p.tag}${takeover}`,
        };
      },

      async stop(s, p) {
        const deactivated = await s.run(['vgchange', '-an', p.vg]);
        if (!deactivated.ok)
          return failed(
            `could not deactivate ${p.vg}: ${describeToolFailure(deactivated)}. Check what still uses its LVs (mounted file systems: findmnt; dmsetup info -c)`,
          );
        const state = await readVg(s, p.vg);
        if (typeof state === 'string') return failed(state);
        if (state.tags.includes(p.tag)) {
          const untagged = await s.run(['vgchange', '--deltag', p.tag, p.vg]);
          if (!untagged.ok)
            return failed(
              `${p.vg} is inactive but its tag ${p.tag} stayed: ${describeToolFailure(untagged)}`,
            );
        }
        return { ok: true, detail: `${p.vg} is inactive and untagged` };
      },

      async probe(s, p) {
        const state = await readVg(s, p.vg);
        if (typeof state === 'string') return 'unknown';
        const active = [...state.lvs.values()].filter(Boolean).length;
        if (state.lvs.size === 0) return state.tags.includes(p.tag) ? 'online' : 'offline';
        if (active === state.lvs.size) return 'online';
        return active === 0 ? 'offline' : 'unknown';
      },

      // Fencing: deactivate at once if nothing holds the LVs open. The tag stays: the server that takes
      // the group over removes it on its FAILOVER start.
      async kill(s, p) {
        await s.run(['vgchange', '-an', p.vg]);
      },
    },
    options,
  );
}

/** The VG's tags and its LVs' active state, or why they could not be read. */
async function readVg(s: ToolSession, vg: string): Promise<VgState | string> {
  const vgs = await s.run(['vgs', '--noheadings', '-o', 'vg_tags', vg]);
  if (!vgs.ok)
    return `could not read volume group ${vg}: ${describeToolFailure(vgs)}. Check that its PVs are visible here (pvs)`;
  const lvs = await s.run(['lvs', '--noheadings', '--separator', '|', '-o', 'lv_name,lv_active', vg]);
  if (!lvs.ok) return `could not list the LVs of ${vg}: ${describeToolFailure(lvs)}`;
  const tags = vgs.stdout
    .trim()
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const states = new Map<string, boolean>();
  for (const line of lvs.stdout.split('\n')) {
    const [name, active = ''] = line.trim().split('|');
    if (name === undefined || name === '') continue;
    // lv_active is empty (or "inactive") for an inactive LV, "active" (or e.g. "local exclusive") otherwise.
    states.set(name, active.trim() !== '' && active.trim() !== 'inactive');
  }
  return { tags, lvs: states };
}

function refusal(p: VolmgrParams, others: string[], event: string): string {
  const servers = others.map((tag) => tag.slice(TAG_PREFIX.length)).join(', ');
  const why =
    p.takeover === 'never'
      ? 'takeover is never'
      : `this is a ${event}, and tags of other servers are only removed on a FAILOVER (after the engine fenced them)`;
  return (
    `refusing to activate ${p.vg}: it carries ${others.join(', ')}, so ${servers} may have it active (${why}). ` +
    `If ${servers} is down or no longer uses it, remove the tag there or here: vgchange --deltag ${others[0]} ${p.vg}`
  );
}

function lvmConfHint(p: VolmgrParams): string {
  return `. Check lvm.conf on this server: activation/volume_list must contain "@${p.tag}" and tags must define ${p.tag} (tags { ${p.tag} { } })`;
}
