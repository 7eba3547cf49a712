// fip: a floating IP address on a network interface of the server that runs the group. Start refuses
// an IPv4 address that another host already answers for (arping duplicate address detection), adds it
// with `ip addr add` and announces it with gratuitous ARP so neighbours update their caches. IPv6
// addresses are added with nodad and not announced (no unsolicited neighbour advertisement yet).
// See docs/resources.md.
import type { ResourceDriver } from './driver.js';
import { parseFip, presenceOf, showArgv, type FipAddress, type Presence } from './fip-address.js';
import { describeToolFailure } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface FipParams extends FipAddress {
  announce: boolean;
}

/** How long the duplicate check waits for an answer (arping -w, whole seconds). */
const DUPLICATE_WAIT_S = 2;
/** Announcements are best effort: never let them eat the whole start timeout. */
const ANNOUNCE_CAP_MS = 5000;

export function createFipDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<FipParams>(
    {
      readParams(params) {
        const reader = new ParamReader('fip', params);
        const fip = parseFip(params.address, reader.string('device'), 'fip resource');
        return { ...fip, announce: reader.boolean('arping', true) };
      },

      async start(s, p) {
        const where = `${p.address} on ${p.device}`;
        const before = await presence(s, p);
        if (before.state === 'no-device')
          return failed(`cannot add ${where}: there is no device ${p.device} here (check \`ip link\`)`);
        if (before.state === 'unknown') return failed(`cannot add ${where}: ${before.why}`);
        if (before.state === 'absent') {
          if (p.family === 4) {
            const holder = await duplicateCheck(s, p);
            if (holder !== undefined) return failed(holder);
          }
          const added = await s.run(addrArgv('add', p));
          // "File exists": it arrived meanwhile; that is the state we want.
          if (!added.ok && !/File exists/i.test(added.stderr))
            return failed(`could not add ${where}: ${describeToolFailure(added)}`);
        }
        if (p.family === 4 && p.announce) await announce(s, p);
        const how = before.state === 'present' ? 'was already' : 'added';
        const said = p.family === 4 && p.announce ? ', announced with gratuitous ARP' : '';
        return { ok: true, detail: `${p.address}/${p.prefix} ${how} on ${p.device}${said}` };
      },

      async stop(s, p) {
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

/**
 * Duplicate address detection (arping -D: exit 0 when nobody answers, 1 when someone does). Undefined
 * when the address is free; else the reason to refuse, naming the MAC that answered.
 */
async function duplicateCheck(s: ToolSession, p: FipParams): Promise<string | undefined> {
  const result = await s.run(
    ['arping', '-D', '-c', '2', '-w', String(DUPLICATE_WAIT_S), '-I', p.device, p.address],
    { capMs: (DUPLICATE_WAIT_S + 3) * 1000 },
  );
  if (result.ok) return undefined;
  // Exit 1 also means "no probe could be sent"; only a printed reply is another holder.
  const reply = /reply from \S+ \[([0-9A-Fa-f:]{17})\]/i.exec(result.stdout);
  if (result.code === 1 && reply) {
    return (
      `refusing to add ${p.address}: it already answers on ${p.device} from MAC ${reply[1]}: ` +
      `another server still holds it? Remove it there (or find the host that uses ${p.address}) before starting here`
    );
  }
  return `cannot check whether ${p.address} is free before adding it: ${describeToolFailure(result)}. Check that ${p.device} is up and iputils-arping is installed`;
}

/**
 * Gratuitous ARP, unsolicited request and reply forms (neighbours that ignore one usually take the
 * other), sent at the same time and each bounded by arping's own deadline: without -w, `arping -A`
 * can wait for answers that never come, and every second here is a second of the failover.
 */
async function announce(s: ToolSession, p: FipParams): Promise<void> {
  await Promise.all(
    ['-U', '-A'].map(async (mode) => {
      const result = await s.run(['arping', mode, '-c', '2', '-w', '2', '-I', p.device, p.address], {
        capMs: ANNOUNCE_CAP_MS,
      });
      if (!result.ok)
        s.ctx.logger.warn('fip-announce-failed', {
          group: s.ctx.group,
          resource: s.ctx.resource.name,
          detail: `${describeToolFailure(result)}: neighbours may keep the old MAC for ${p.address} until their ARP cache expires`,
        });
    }),
  );
}
