// vm: a libvirt domain managed with virsh. Stop asks the guest to shut down and destroys it (a hard
// power-off) if it is still running at the shutdown deadline. `migrateVm` moves a running domain live
// to another host; the engine does not use it yet (it moves groups by stop + start). See docs/resources.md.
import type { ResourceContext, ResourceDriver } from './driver.js';
import { describeToolFailure, runTool } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface VmParams {
  domain: string;
  /** libvirt connection URI (virsh -c); none: virsh's default. */
  uri?: string;
  shutdownTimeoutMs: number;
}

/** Time kept back from the stop timeout for `virsh destroy` (half of it when it is shorter than twice this). */
const DESTROY_RESERVE_MS = 5000;
/** States of a domain that exists in memory here. */
const ACTIVE = new Set(['running', 'idle', 'paused', 'blocked', 'pmsuspended', 'in shutdown']);

export function readVmParams(params: Record<string, unknown>): VmParams {
  const reader = new ParamReader('vm', params);
  const uri = reader.optionalString('uri');
  return {
    domain: reader.string('domain'),
    ...(uri === undefined ? {} : { uri }),
    shutdownTimeoutMs: reader.durationMs('shutdownTimeout', '30s'),
  };
}

export function createVmDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<VmParams>(
    {
      readParams: readVmParams,

      async start(s, p) {
        const state = await domstate(s, p);
        if (state.error !== undefined) return failed(state.error);
        if (state.state === 'running') return { ok: true, detail: `domain ${p.domain} was already running` };
        if (state.state === 'undefined')
          return failed(
            `domain ${p.domain} is not defined on this server (virsh list --all): define it on every server of the group's policy`,
          );
        const argv = state.state === 'paused' ? virsh(p, 'resume', p.domain) : virsh(p, 'start', p.domain);
        const started = await s.run(argv);
        if (!started.ok) return failed(`could not start domain ${p.domain}: ${describeToolFailure(started)}`);
        const now = await s.poll(async () => {
          const current = await domstate(s, p);
          return current.state === 'running' ? current.state : undefined;
        });
        if (now === undefined)
          return failed(
            `domain ${p.domain} was not running within ${s.ctx.timeoutMs} ms. Check \`virsh domstate --reason ${p.domain}\``,
          );
        return { ok: true, detail: `domain ${p.domain} is running` };
      },

      async stop(s, p) {
        const state = await domstate(s, p);
        if (state.error !== undefined) return failed(state.error);
        if (state.state === 'shut off' || state.state === 'undefined')
          return { ok: true, detail: `domain ${p.domain} was not running` };
        const shutdown = await s.run(virsh(p, 'shutdown', p.domain));
        const left = s.remainingMs();
        const graceMs = Math.min(p.shutdownTimeoutMs, left - Math.min(DESTROY_RESERVE_MS, left / 2));
        const off = shutdown.ok && graceMs > 0 ? await s.poll(() => isOff(s, p), graceMs) : undefined;
        if (off === true) return { ok: true, detail: `domain ${p.domain} shut down` };
        const why = shutdown.ok
          ? `still running ${Math.max(graceMs, 0)} ms after \`virsh shutdown\``
          : `virsh shutdown failed (${describeToolFailure(shutdown)})`;
        s.ctx.logger.warn('vm-destroy', {
          group: s.ctx.group,
          resource: s.ctx.resource.name,
          domain: p.domain,
          why,
        });
        const destroyed = await s.run(virsh(p, 'destroy', p.domain));
        if (!destroyed.ok && (await isOff(s, p)) !== true)
          return failed(
            `domain ${p.domain} ${why}, and destroy failed too: ${describeToolFailure(destroyed)}`,
          );
        if ((await s.poll(() => isOff(s, p))) !== true)
          return failed(`domain ${p.domain} ${why}, and it was still not shut off after virsh destroy`);
        return { ok: true, detail: `domain ${p.domain} ${why}: destroyed (powered off)` };
      },

      async probe(s, p) {
        const state = await domstate(s, p);
        if (state.error !== undefined) return 'unknown';
        if (state.state === 'shut off' || state.state === 'crashed' || state.state === 'undefined')
          return 'offline';
        return state.state === 'in shutdown' || !ACTIVE.has(state.state) ? 'unknown' : 'online';
      },

      async kill(s, p) {
        await s.run(virsh(p, 'destroy', p.domain));
      },
    },
    options,
  );
}

/**
 * Live-migrates the domain of a vm resource to `targetUri` (e.g. qemu+ssh://s2/system), keeping its
 * definition there and removing it here. Not used by the engine yet: it moves groups by stop + start.
 */
export async function migrateVm(
  ctx: ResourceContext,
  targetUri: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; detail: string }> {
  const p = readVmParams(ctx.resource.params);
  const result = await runTool(
    virsh(p, 'migrate', '--live', '--persistent', '--undefinesource', p.domain, targetUri),
    {
      env,
      timeoutMs: ctx.timeoutMs,
    },
  );
  if (!result.ok)
    return {
      ok: false,
      detail: `could not migrate ${p.domain} to ${targetUri}: ${describeToolFailure(result)}`,
    };
  return { ok: true, detail: `domain ${p.domain} migrated live to ${targetUri}` };
}

function virsh(p: VmParams, ...args: string[]): string[] {
  return ['virsh', ...(p.uri === undefined ? [] : ['-c', p.uri]), ...args];
}

/** The domain's state ("running", "shut off", …), 'undefined' when libvirt does not know it here. */
async function domstate(s: ToolSession, p: VmParams): Promise<{ state: string; error?: string }> {
  const result = await s.run(virsh(p, 'domstate', p.domain));
  if (result.ok) return { state: result.stdout.trim().split('\n')[0]?.trim() ?? '' };
  // "error: failed to get domain 'web'" (libvirt: Domain not found).
  if (/failed to get domain|domain not found/i.test(result.stderr)) return { state: 'undefined' };
  return {
    state: '',
    error: `could not read the state of domain ${p.domain}: ${describeToolFailure(result)}`,
  };
}

async function isOff(s: ToolSession, p: VmParams): Promise<true | undefined> {
  const state = await domstate(s, p);
  return state.state === 'shut off' || state.state === 'undefined' ? true : undefined;
}
