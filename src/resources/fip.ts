// fip: a floating IP address on a network interface of the server that runs the group. Start refuses
// an IPv4 address that another host already answers for (arping duplicate address detection), adds it
// with `ip addr add` and announces it with gratuitous ARP so neighbours update their caches: in the
// background, since arping's first packet goes out at once and every second here is a second of the
// failover (a stop or kill ends an announcement still running). IPv6
// addresses are added with nodad and not announced (no unsolicited neighbour advertisement yet).
// See docs/resources.md.
import type { ResourceDriver } from './driver.js';
import { parseFip, presenceOf, showArgv, type FipAddress, type Presence } from './fip-address.js';
import { describeToolFailure, runTool } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface FipParams extends FipAddress {
  announce: boolean;
  /** How long the duplicate check waits for an answer, in ms; 0: no check. */
  duplicateWaitMs: number;
}

/** Announcements are best effort: bounded by arping's own deadline, and by this in case it hangs. */
const ANNOUNCE_CAP_MS = 5000;

export function createFipDriver(options: ToolDriverOptions = {}): ResourceDriver {
  const env = options.env ?? process.env;
  /** Announcements still running, by group/resource. */
  const announcing = new Map<string, AbortController>();
  const keyOf = (s: ToolSession) => `${s.ctx.group}/${s.ctx.resource.name}`;
  const stopAnnouncing = (s: ToolSession) => {
    announcing.get(keyOf(s))?.abort();
    announcing.delete(keyOf(s));
  };
  const announceInBackground = (s: ToolSession, p: FipParams) => {
    stopAnnouncing(s);
    const controller = new AbortController();
    announcing.set(keyOf(s), controller);
    void announce(s, p, env, controller.signal).finally(() => {
      if (announcing.get(keyOf(s)) === controller) announcing.delete(keyOf(s));
    });
  };
  return createToolDriver<FipParams>(
    {
      readParams(params) {
        const reader = new ParamReader('fip', params);
        const fip = parseFip(params.address, reader.string('device'), 'fip resource');
        return {
          ...fip,
          announce: reader.boolean('arping', true),
          duplicateWaitMs: duplicateWaitMs(reader),
        };
      },

      async start(s, p) {
        const where = `${p.address} on ${p.device}`;
        const before = await presence(s, p);
        if (before.state === 'no-device')
          return failed(`cannot add ${where}: there is no device ${p.device} here (check \`ip link\`)`);
        if (before.state === 'unknown') return failed(`cannot add ${where}: ${before.why}`);
        if (before.state === 'absent') {
          if (p.family === 4 && p.duplicateWaitMs > 0) {
            const holder = await duplicateCheck(s, p);
            if (holder !== undefined) return failed(holder);
          }
          const added = await s.run(addrArgv('add', p));
          // "File exists": it arrived meanwhile; that is the state we want.
          if (!added.ok && !/File exists/i.test(added.stderr))
            return failed(`could not add ${where}: ${describeToolFailure(added)}`);
        }
        if (p.family === 4 && p.announce) announceInBackground(s, p);
        const how = before.state === 'present' ? 'was already' : 'added';
        const said = p.family === 4 && p.announce ? ', announcing it with gratuitous ARP' : '';
        return { ok: true, detail: `${p.address}/${p.prefix} ${how} on ${p.device}${said}` };
      },

      async stop(s, p) {
        stopAnnouncing(s);
        const result = await removeAddress(s, p);
        if (result !== undefined) return failed(result);
        return { ok: true, detail: `${p.address}/${p.prefix} is not on ${p.device}` };
      },

      async probe(s, p) {
        const seen = await presence(s, p);
        if (seen.state === 'present') return 'online';
        if (seen.state === 'unknown') return 'unknown';
        return 'offline';
      },

      // Fencing: the address goes at once, so this server stops answering for it.
      async kill(s, p) {
        stopAnnouncing(s);
        await removeAddress(s, p);
      },
    },
    options,
  );
}

function presence(s: ToolSession, p: FipParams): Promise<Presence> {
  return s.run(showArgv(p)).then((result) => presenceOf(p, result));
}

function addrArgv(verb: 'add' | 'del', p: FipParams): string[] {
  const argv = ['ip', `-${p.family}`, 'addr', verb, `${p.address}/${p.prefix}`, 'dev', p.device];
  // Without nodad the kernel holds an IPv6 address "tentative" (unusable) while it runs its own DAD.
  return verb === 'add' && p.family === 6 ? [...argv, 'nodad'] : argv;
}

/** Undefined when the address is gone (or was never here); else why it could not be removed. */
async function removeAddress(s: ToolSession, p: FipParams): Promise<string | undefined> {
  const removed = await s.run(addrArgv('del', p));
  if (removed.ok) return undefined;
  const after = await presence(s, p);
  if (after.state === 'absent' || after.state === 'no-device') return undefined;
  return `could not remove ${p.address}/${p.prefix} from ${p.device}: ${describeToolFailure(removed)}`;
}

/** duplicateCheck: whole seconds (a number) or a duration such as "300ms"; at most 10 s. */
function duplicateWaitMs(reader: ParamReader): number {
  const ms = reader.secondsOrDurationMs('duplicateCheck', 1);
  if (ms > 10_000) throw new Error('fip resource duplicateCheck is over 10s');
  return ms;
}

/**
 * Duplicate address detection (arping -D: exit 0 when nobody answers, 1 when someone does, at the
 * first answer). Undefined when the address is free; else the reason to refuse, naming the MAC that
 * answered. arping takes whole seconds only: a wait in whole seconds sends one probe a second for
 * that long; a shorter wait sends one probe and stops arping at the deadline, which with no answer
 * printed by then means nobody answered.
 */
async function duplicateCheck(s: ToolSession, p: FipParams): Promise<string | undefined> {
  const wholeSeconds = p.duplicateWaitMs % 1000 === 0;
  const probes = String(Math.max(1, Math.ceil(p.duplicateWaitMs / 1000)));
  const result = await s.run(['arping', '-D', '-c', probes, '-w', probes, '-I', p.device, p.address], {
    capMs: wholeSeconds ? p.duplicateWaitMs + 3000 : p.duplicateWaitMs,
  });
  // Exit 1 also means "no probe could be sent"; only a printed reply is another holder.
  const reply = /reply from \S+ \[([0-9A-Fa-f:]{17})\]/i.exec(result.stdout);
  if (reply && (result.code === 1 || result.timedOut)) {
    return (
      `refusing to add ${p.address}: it already answers on ${p.device} from MAC ${reply[1]}: ` +
      `another server still holds it? Remove it there (or find the host that uses ${p.address}) before starting here`
    );
  }
  if (result.ok || (!wholeSeconds && result.timedOut)) return undefined;
  return `cannot check whether ${p.address} is free before adding it: ${describeToolFailure(result)}. Check that ${p.device} is up and iputils-arping is installed`;
}

/**
 * Gratuitous ARP, unsolicited request and reply forms (neighbours that ignore one usually take the
 * other), sent at the same time and each bounded by arping's own deadline: without -w, `arping -A`
 * can wait for answers that never come.
 */
async function announce(
  s: ToolSession,
  p: FipParams,
  env: NodeJS.ProcessEnv,
  abort: AbortSignal,
): Promise<void> {
  await Promise.all(
    ['-U', '-A'].map(async (mode) => {
      const argv = ['arping', mode, '-c', '2', '-w', '2', '-I', p.device, p.address];
      const result = await runTool(argv, { env, abort, timeoutMs: ANNOUNCE_CAP_MS });
      if (!result.ok && !result.aborted)
        s.ctx.logger.warn('fip-announce-failed', {
          group: s.ctx.group,
          resource: s.ctx.resource.name,
          detail: `${describeToolFailure(result)}: neighbours may keep the old MAC for ${p.address} until their ARP cache expires`,
        });
    }),
  );
}
