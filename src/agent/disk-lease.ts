// The disk partition method: a lease kept in slots on a shared device (disk-lease-slot.ts), read and
// written by the DISK link's IO thread (disk-io.ts) so a hung disk never blocks the agent, with a
// deadline on every request. One step() per heartbeat interval acquires the lease or renews it.
// Why this is safe (at most one server counts the lease valid at any time): docs/engine.md, "The
// disk lease".
import { DiskIo } from '../links/disk-io.js';
import { DISK_BLOCK, DISK_LAYOUT_VERSION, encodeHeader, readHeader } from '../links/disk-layout.js';
import {
  decodeLeaseSlot,
  encodeLeaseSlot,
  LEASE_SLOT_COUNT,
  LEASE_SLOT_SIZE,
  type LeaseSlot,
  type LeaseState,
} from './disk-lease-slot.js';

/** The IO the lease needs; DiskIo in the agent, a wrapper around it in tests that stall it. */
export interface LeaseIo {
  open(): Promise<unknown>;
  read(offset: number, length: number, deadlineMs: number): Promise<Buffer>;
  write(offset: number, data: Buffer, deadlineMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface DiskLeaseOptions {
  device: string;
  cluster: string;
  servers: readonly string[];
  self: string;
  /** How long a renewal keeps the lease: one heartbeat timeout. */
  durationMs: number;
  /** The deadline of every read and write. */
  ioDeadlineMs: number;
  /** Added to the duration before another server counts a silent holder gone. */
  marginMs: number;
  now: () => number;
  io?: LeaseIo;
}

export interface LeaseView {
  held: boolean;
  validUntil: number;
  detail: string;
}

/** What this server last saw in another server's slot, and when the counter last moved. */
type Seen = { slot: LeaseSlot; changedAt: number };

const DEVICE_BYTES = DISK_BLOCK + LEASE_SLOT_COUNT * LEASE_SLOT_SIZE;

export class DiskLease {
  private readonly io: LeaseIo;
  private readonly index: number;
  private opened = false;
  private counter = -1;
  private state: LeaseState = 'idle';
  private validUntil = 0;
  private detail = 'not asked yet';
  private running: Promise<LeaseView> | null = null;
  private readonly seen = new Map<number, Seen>();

  constructor(private readonly options: DiskLeaseOptions) {
    this.index = options.servers.indexOf(options.self);
    if (this.index < 0) throw new Error(`${options.self} is not in the server list`);
    if (options.servers.length > LEASE_SLOT_COUNT)
      throw new Error(
        `the disk lease has ${LEASE_SLOT_COUNT} slots, the cluster ${options.servers.length} servers`,
      );
    this.io = options.io ?? new DiskIo(options.device, DEVICE_BYTES);
  }

  /** The lease as of now: held only until the last confirmed renewal runs out. */
  view(): LeaseView {
    const held = this.state === 'held' && this.validUntil > this.options.now();
    return { held, validUntil: held ? this.validUntil : 0, detail: this.detail };
  }

  /** One round: renew the lease if held, else try to take it. A round still running is not doubled. */
  step(): Promise<LeaseView> {
    if (this.running) return Promise.resolve(this.view());
    this.running = this.round()
      .catch((error: Error) => {
        this.detail = `${this.options.device}: ${error.message}`;
        return this.view();
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Gives the lease back (or withdraws an intent). */
  async release(): Promise<void> {
    await this.running;
    if (this.state === 'held' || this.state === 'intent') {
      this.state = 'released';
      this.validUntil = 0;
      this.detail = 'released';
      await this.writeOwn('released').catch(() => undefined);
    }
  }

  close(): Promise<void> {
    return this.io.close();
  }

  private async round(): Promise<LeaseView> {
    await this.open();
    if (this.state === 'held' && this.validUntil > this.options.now()) await this.renew();
    else await this.acquire();
    return this.view();
  }

  private async open(): Promise<void> {
    if (this.opened) return;
    await this.io.open();
    const block = await this.timed(this.io.read(0, DISK_BLOCK, this.options.ioDeadlineMs));
    const reading = readHeader(block, this.options.cluster);
    if (reading.kind === 'foreign')
      throw new Error(
        `not a lease device of this cluster: ${reading.why}; check partition.methods disk.device`,
      );
    if (reading.kind === 'empty') {
      // Every server writes the same header, so two servers starting at once cannot disagree.
      const header = {
        version: DISK_LAYOUT_VERSION,
        slotSize: LEASE_SLOT_SIZE,
        slotCount: LEASE_SLOT_COUNT,
        cluster: this.options.cluster,
      };
      await this.timed(this.io.write(0, encodeHeader(header), this.options.ioDeadlineMs));
    } else if (reading.header.slotSize !== LEASE_SLOT_SIZE) {
      throw new Error(
        `it has ${reading.header.slotSize}-byte slots, a lease device ${LEASE_SLOT_SIZE}: is it the DISK link's device? Give the lease its own device`,
      );
    }
    this.opened = true;
  }

  /** Reads every slot and notes, per other server, when its counter last moved. */
  private async readSlots(): Promise<Map<number, LeaseSlot>> {
    const count = this.options.servers.length;
    const data = await this.timed(
      this.io.read(DISK_BLOCK, count * LEASE_SLOT_SIZE, this.options.ioDeadlineMs),
    );
    const now = this.options.now();
    const slots = new Map<number, LeaseSlot>();
    for (let i = 0; i < count; i++) {
      const slot = decodeLeaseSlot(data.subarray(i * LEASE_SLOT_SIZE, (i + 1) * LEASE_SLOT_SIZE));
      // A damaged slot is treated as its server asking: never grounds to take the lease sooner.
      const read = slot ?? { state: 'intent', counter: -1, server: this.options.servers[i] ?? '' };
      slots.set(i, read);
      if (i === this.index) continue;
      const before = this.seen.get(i);
      // A counter seen for the first time counts as just moved: a restarted server waits a full lease.
      if (!before || before.slot.counter !== read.counter || before.slot.state !== read.state)
        this.seen.set(i, { slot: read, changedAt: now });
    }
    const own = slots.get(this.index);
    if (this.counter < 0) this.counter = Math.max(0, own?.counter ?? 0);
    return slots;
  }

  /** The other server that holds or asks for the lease, as far as its moving counter shows. */
  private liveOther(): { name: string; state: LeaseState; agoMs: number } | null {
    const now = this.options.now();
    for (const [i, seen] of this.seen) {
      if (seen.slot.state !== 'held' && seen.slot.state !== 'intent') continue;
      const agoMs = now - seen.changedAt;
      if (agoMs < this.options.durationMs + this.options.marginMs)
        return { name: this.options.servers[i] ?? `slot ${i}`, state: seen.slot.state, agoMs };
    }
    return null;
  }

  private async acquire(): Promise<void> {
    this.state = this.state === 'held' ? 'released' : this.state;
    this.validUntil = 0;
    const readAt = this.options.now();
    const before = await this.readSlots();
    const other = this.liveOther();
    if (other) {
      this.detail = `${other.name} ${other.state === 'held' ? 'holds' : 'asks for'} the lease (its counter moved ${Math.round(other.agoMs)} ms ago)`;
      return;
    }
    await this.writeOwn('intent');
    // Our intent must be on the disk within two deadlines of the read that found the lease free: a
    // server whose read came before our write then has its own intent on the disk before we look again.
    if (this.options.now() - readAt > 2 * this.options.ioDeadlineMs) {
      await this.backOff('the disk was too slow to ask for the lease');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * this.options.ioDeadlineMs));
    const after = await this.readSlots();
    for (const [i, slot] of after) {
      if (i === this.index || (slot.state !== 'intent' && slot.state !== 'held')) continue;
      if (slot.counter === before.get(i)?.counter && slot.state === before.get(i)?.state) continue;
      // Another server asked at the same time: the one earlier in `servers:` goes on.
      if (slot.state === 'held' || i < this.index) {
        await this.backOff(`${this.options.servers[i]} asked for the lease at the same time and goes first`);
        return;
      }
    }
    await this.renew();
  }

  /** Writes a renewal and reads it back; the lease then lasts one duration from the write's start. */
  private async renew(): Promise<void> {
    const startedAt = this.options.now();
    await this.writeOwn('held');
    const slots = await this.readSlots();
    const own = slots.get(this.index);
    if (own?.state !== 'held' || own.counter !== this.counter) {
      this.state = 'released';
      this.validUntil = 0;
      this.detail = 'the renewal did not read back as written';
      return;
    }
    this.state = 'held';
    this.validUntil = startedAt + this.options.durationMs;
    this.detail = `renewed (counter ${this.counter})`;
  }

  private async backOff(why: string): Promise<void> {
    this.detail = why;
    await this.writeOwn('released');
  }

  private async writeOwn(state: LeaseState): Promise<void> {
    this.counter += 1;
    this.state = state;
    const block = encodeLeaseSlot({ state, counter: this.counter, server: this.options.self });
    const offset = DISK_BLOCK + this.index * LEASE_SLOT_SIZE;
    await this.timed(this.io.write(offset, block, this.options.ioDeadlineMs));
  }

  /** A request past its deadline fails the round; its late answer is ignored. */
  private timed<T>(request: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`a disk request took over ${this.options.ioDeadlineMs} ms`)),
        this.options.ioDeadlineMs,
      );
    });
    return Promise.race([request, late]).finally(() => clearTimeout(timer));
  }
}
