// The disk lease against a real file through the DISK link's IO thread, with two or three lease
// clients in one process: contention, a holder that stops renewing, and a disk that stalls.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DiskLease, type LeaseIo } from '../../../src/agent/disk-lease.js';
import { DiskIo } from '../../../src/links/disk-io.js';
import { DISK_BLOCK } from '../../../src/links/disk-layout.js';
import { LEASE_SLOT_COUNT, LEASE_SLOT_SIZE } from '../../../src/agent/disk-lease-slot.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-lease-'));
const servers = ['s1', 's2', 's3'];
// Generous against a loaded machine: a request past its deadline only makes a round fail.
const DURATION = 1500;
const DEADLINE = 150;
const MARGIN = 600;
const now = () => performance.now();
const leases: DiskLease[] = [];
let files = 0;

after(async () => {
  await Promise.all(leases.map((l) => l.close()));
  rmSync(dir, { recursive: true, force: true });
});

function device(): string {
  const path = join(dir, `lease-${++files}`);
  writeFileSync(path, '');
  return path;
}

/** The real IO, with a switch that holds every request as a hung disk would. */
class StallableIo implements LeaseIo {
  stalled = false;
  private waiting: (() => void)[] = [];
  constructor(private readonly io: DiskIo) {}
  open(): Promise<unknown> {
    return this.io.open();
  }
  read(offset: number, length: number, deadlineMs: number): Promise<Buffer> {
    return this.gate().then(() => this.io.read(offset, length, deadlineMs));
  }
  write(offset: number, data: Buffer, deadlineMs: number): Promise<void> {
    return this.gate().then(() => this.io.write(offset, data, deadlineMs));
  }
  close(): Promise<void> {
    this.resume();
    return this.io.close();
  }
  resume(): void {
    this.stalled = false;
    for (const go of this.waiting.splice(0)) go();
  }
  private gate(): Promise<void> {
    return this.stalled ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }
}

function lease(path: string, self: string, io?: LeaseIo): DiskLease {
  const made = new DiskLease({
    device: path,
    cluster: 'prod',
    servers,
    self,
    durationMs: DURATION,
    ioDeadlineMs: DEADLINE,
    marginMs: MARGIN,
    now,
    ...(io ? { io } : {}),
  });
  leases.push(made);
  return made;
}

/** Steps `lease` every 50 ms until `done` says so, for at most `ms`. */
async function stepUntil(
  l: DiskLease,
  done: (held: boolean) => boolean,
  ms: number,
  each?: () => Promise<unknown>,
): Promise<boolean> {
  const end = now() + ms;
  while (now() < end) {
    const view = await l.step();
    await each?.();
    if (done(view.held)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Rounds where all ask at once, until one holds: never two at a time. */
async function contend(all: DiskLease[]): Promise<boolean[]> {
  for (let round = 0; round < 10; round++) {
    const held = (await Promise.all(all.map((l) => l.step()))).map((v) => v.held);
    assert.ok(held.filter(Boolean).length <= 1, `two holders at once: ${JSON.stringify(held)}`);
    if (held.includes(true)) return held;
  }
  assert.fail('nobody got the lease in 10 rounds');
}

test('three servers asking at once: exactly one gets the lease, the first in servers:', async () => {
  const path = device();
  const all = servers.map((s) => lease(path, s));
  const held = await contend(all);
  // A round slowed by the machine's load can make s1 back off; then s2 or s3 wins a later round.
  assert.equal(held.filter(Boolean).length, 1);
  if (held[0])
    assert.match(all[1]!.view().detail, /s1 (asked for the lease at the same time|holds|asks for)/);
  assert.ok(all[held.indexOf(true)]!.view().validUntil > now());
});

test('two later servers asking at once: exactly one wins', async () => {
  const path = device();
  const held = await contend([lease(path, 's2'), lease(path, 's3')]);
  assert.equal(held.filter(Boolean).length, 1);
});

test('a renewing holder keeps the lease; once it stops, another takes it only after it ran out', async () => {
  const path = device();
  const [a, b] = [lease(path, 's1'), lease(path, 's2')];
  assert.equal((await a.step()).held, true);
  // For longer than a lease and its margin, s1 renews between s2's attempts: s2 never gets it.
  const stole = await stepUntil(
    b,
    (held) => held,
    DURATION + MARGIN + 400,
    () => a.step(),
  );
  assert.equal(stole, false, 's2 took the lease from a holder that renews');
  assert.equal(a.view().held, true);
  const lastValid = a.view().validUntil;
  // s1 stops renewing (its engine stopped, its machine died): s2 gets it, but not before s1's ran out.
  assert.ok(await stepUntil(b, (held) => held, 5000), 's2 never took over the lease');
  assert.ok(now() >= lastValid, `s2 held the lease ${lastValid - now()} ms before s1's ran out`);
  assert.equal(a.view().held, false);
});

test('a holder whose disk stalls loses the lease when its renewal runs out, and does not win it back', async () => {
  const path = device();
  const io = new StallableIo(new DiskIo(path, DISK_BLOCK + LEASE_SLOT_COUNT * LEASE_SLOT_SIZE));
  const [a, b] = [lease(path, 's1', io), lease(path, 's2')];
  assert.equal((await a.step()).held, true);
  const validUntil = a.view().validUntil;
  io.stalled = true;
  const stalled = await a.step();
  assert.match(stalled.detail, /took over 150 ms/);
  assert.ok(await stepUntil(a, (held) => !held, 3000), 's1 still holds the lease on a hung disk');
  assert.ok(now() >= validUntil);
  assert.ok(await stepUntil(b, (held) => held, 5000), 's2 never took over from the stalled holder');
  // The disk comes back: s1 sees s2 holding and stays without the lease.
  io.resume();
  const back = await stepUntil(
    a,
    (held) => held,
    DURATION + MARGIN,
    () => b.step(),
  );
  assert.equal(back, false, 's1 took the lease back from a renewing s2');
  assert.match(a.view().detail, /s2 holds the lease/);
});

test('a released lease is free at once for another server', async () => {
  const path = device();
  const [a, b] = [lease(path, 's1'), lease(path, 's2')];
  assert.equal((await a.step()).held, true);
  assert.equal((await b.step()).held, false);
  await a.release();
  assert.equal(a.view().held, false);
  assert.equal((await b.step()).held, true);
});

test('a file of other data is refused, not overwritten', async () => {
  const path = join(dir, 'foreign');
  writeFileSync(path, Buffer.alloc(DISK_BLOCK * 20, 7));
  const view = await lease(path, 's1').step();
  assert.equal(view.held, false);
  assert.match(view.detail, /not a lease device of this cluster: it holds other data/);
});
