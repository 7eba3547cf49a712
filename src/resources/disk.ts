// The disk resource: a filesystem on a shared block device. start = (fsck) + mount, stop = kill the
// processes using it + umount with retries, probe = is the device mounted on the mount point here
// (/proc/self/mountinfo). A device mounted anywhere else on this server is never mounted a second time.
import { mkdirSync } from 'node:fs';
import { readDiskParams, type DiskParams } from './disk-params.js';
import type { ActionResult, ProbeResult, ResourceContext, ResourceDriver } from './driver.js';
import { runFsck } from './fsck.js';
import { guarded, outputLogger, timeLeft } from './guarded.js';
import { InFlightActions } from './in-flight.js';
import { canonicalDir, deviceIdentity, isMountOf, readMounts, type MountEntry } from './mountinfo.js';
import { completed, describeProgram, runProgram } from './run-program.js';
import { delay } from './wait.js';

export interface DiskDriverOptions {
  /** Pause between umount attempts, times the attempt number (default 300 ms). */
  retryPauseMs?: number;
}

type Placement =
  | { state: 'mounted'; entry: MountEntry }
  | { state: 'absent' }
  | { state: 'conflict'; reason: string; hint: string };

/** Where the device and the mount point stand now, from mountinfo. */
function placement(params: DiskParams): Placement {
  const device = deviceIdentity(params.device);
  const mountPoint = canonicalDir(params.mountPoint);
  const mounts = readMounts();
  // The last entry on a mount point is the one on top, the one a path lookup reaches.
  const onTop = mounts.filter((entry) => entry.mountPoint === mountPoint).at(-1);
  if (onTop !== undefined) {
    if (device !== undefined && isMountOf(onTop, device)) return { state: 'mounted', entry: onTop };
    return {
      state: 'conflict',
      reason: `${mountPoint} already has ${onTop.source} (${onTop.fsType}) mounted on it`,
      hint: `unmount it or choose another mountPoint (check: findmnt ${mountPoint})`,
    };
  }
  const elsewhere = device === undefined ? undefined : mounts.find((entry) => isMountOf(entry, device));
  if (elsewhere !== undefined)
    return {
      state: 'conflict',
      reason: `${params.device} is already mounted on ${elsewhere.mountPoint} on this server; mounting it twice would corrupt it`,
      hint: `unmount ${elsewhere.mountPoint} first (check: findmnt ${params.device})`,
    };
  return { state: 'absent' };
}

export function createDiskDriver(options: DiskDriverOptions = {}): ResourceDriver {
  const retryPauseMs = options.retryPauseMs ?? 300;
  const actions = new InFlightActions();
  const key = (ctx: ResourceContext) => `${ctx.group}/${ctx.resource.name}`;

  async function start(ctx: ResourceContext): Promise<ActionResult> {
    const deadline = performance.now() + ctx.timeoutMs;
    const params = readDiskParams(ctx.resource.params);
    const device = deviceIdentity(params.device);
    if (device === undefined)
      return {
        ok: false,
        detail: `device ${params.device} does not exist; check that the disk is attached to this server (lsblk)`,
      };
    if (device.devNumber === undefined)
      return { ok: false, detail: `${params.device} is not a block device; check the device path (lsblk)` };
    const where = placement(params);
    if (where.state === 'mounted')
      return { ok: true, detail: `${params.device} is already mounted on ${params.mountPoint}` };
    if (where.state === 'conflict')
      return { ok: false, detail: `cannot mount: ${where.reason}; ${where.hint}` };
    mkdirSync(params.mountPoint, { recursive: true });
    let fsckDetail = '';
    if (params.fsck !== 'never') {
      const fsck = await actions.run(key(ctx), (abort) =>
        runFsck(params, { timeoutMs: timeLeft(deadline), abort, onLine: outputLogger(ctx, 'fsck') }),
      );
      if (!fsck.ok) return { ok: false, detail: fsck.detail };
      fsckDetail = ` (${fsck.detail})`;
    }
    const argv = ['mount', '-t', params.fsType, ...(params.options ? ['-o', params.options] : [])];
    const mount = await actions.run(key(ctx), (abort) =>
      runProgram([...argv, params.device, params.mountPoint], {
        timeoutMs: timeLeft(deadline),
        abort,
        onLine: outputLogger(ctx, 'mount'),
      }),
    );
    if (!completed(mount) || mount.code !== 0)
      return {
        ok: false,
        detail: `${describeProgram('mount', mount)}; check the device, fsType ${params.fsType} and options`,
      };
    if (placement(params).state !== 'mounted')
      return {
        ok: false,
        detail: `mount succeeded but ${params.mountPoint} does not show ${params.device} (check: findmnt ${params.mountPoint})`,
      };
    return { ok: true, detail: `mounted ${params.device} on ${params.mountPoint}${fsckDetail}` };
  }

  /** Signals every process using the filesystem; -M: only if it still is a mount point (never the parent's). */
  async function killUsers(
    params: DiskParams,
    signal: 'TERM' | 'KILL',
    deadline: number,
    abort?: AbortSignal,
  ): Promise<void> {
    await runProgram(['fuser', '-M', '-m', '-k', `-${signal}`, params.mountPoint], {
      timeoutMs: Math.min(timeLeft(deadline), 10_000),
      abort,
    });
  }

  /** The pids fuser lists as using the filesystem, for the error text. */
  async function users(params: DiskParams, deadline: number): Promise<string> {
    const result = await runProgram(['fuser', '-M', '-m', params.mountPoint], {
      timeoutMs: Math.min(timeLeft(deadline), 5_000),
    });
    const pids = result.stdout
      .join(' ')
      .trim()
      .split(/\s+/)
      .filter((pid) => /^[0-9]+/.test(pid));
    return pids.length === 0 ? 'none found' : pids.join(' ');
  }

  async function umount(params: DiskParams, deadline: number, abort?: AbortSignal) {
    return runProgram(['umount', params.mountPoint], { timeoutMs: timeLeft(deadline), abort });
  }

  async function stop(ctx: ResourceContext): Promise<ActionResult> {
    const deadline = performance.now() + ctx.timeoutMs;
    const params = readDiskParams(ctx.resource.params);
    if (placement(params).state !== 'mounted')
      return { ok: true, detail: `${params.device} is not mounted on ${params.mountPoint}` };
    let last = '';
    for (let attempt = 1; attempt <= params.umountRetries; attempt++) {
      if (params.killUsers !== 'none') {
        // term: give the users a chance to exit cleanly first, then SIGKILL from the second try on.
        const signal = params.killUsers === 'term' && attempt === 1 ? 'TERM' : 'KILL';
        await actions.run(key(ctx), (abort) => killUsers(params, signal, deadline, abort));
      }
      const result = await actions.run(key(ctx), (abort) => umount(params, deadline, abort));
      if (placement(params).state !== 'mounted')
        return {
          ok: true,
          detail: `unmounted ${params.mountPoint}${attempt > 1 ? ` (try ${attempt})` : ''}`,
        };
      last = describeProgram('umount', result);
      if (performance.now() >= deadline) break;
      await delay(Math.min(retryPauseMs * attempt, timeLeft(deadline)));
    }
    return {
      ok: false,
      detail: `could not unmount ${params.mountPoint} after ${params.umountRetries} tries: ${last}; processes using it: ${await users(params, deadline + 5_000)} (check: fuser -vm ${params.mountPoint})`,
    };
  }

  return {
    start: (ctx) => guarded(ctx, 'start', () => start(ctx)),
    stop: (ctx) => guarded(ctx, 'stop', () => stop(ctx)),
    async probe(ctx): Promise<ProbeResult> {
      try {
        const where = placement(readDiskParams(ctx.resource.params));
        if (where.state === 'conflict')
          ctx.logger.warn('resource-probe-conflict', {
            group: ctx.group,
            resource: ctx.resource.name,
            reason: where.reason,
          });
        return where.state === 'mounted' ? 'online' : where.state === 'absent' ? 'offline' : 'unknown';
      } catch (error) {
        ctx.logger.error('resource-probe-failed', {
          group: ctx.group,
          resource: ctx.resource.name,
          error: (error as Error).message,
        });
        return 'unknown';
      }
    },
    async kill(ctx): Promise<void> {
      // Fencing: stop fsck or mount in flight, SIGKILL every writer, try one umount.
      try {
        await actions.abortAll(key(ctx), 5_000);
        const params = readDiskParams(ctx.resource.params);
        if (placement(params).state !== 'mounted') return;
        const deadline = performance.now() + 10_000;
        await killUsers(params, 'KILL', deadline);
        await umount(params, deadline);
      } catch (error) {
        ctx.logger.error('resource-kill-failed', {
          group: ctx.group,
          resource: ctx.resource.name,
          error: (error as Error).message,
        });
      }
    },
  };
}
