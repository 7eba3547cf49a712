// The DISK heartbeat link: a shared block device (or a file) with a slot per server. Every beat this
// server writes its heartbeat frame into its own slot, then reads every slot; a peer is alive on this
// link while the sequence number in its slot advances, never by comparing clocks. All IO runs on a
// worker thread with a deadline (disk-io.ts), so a hung disk stalls the link, not the agent.
import type { Logger, LogLevel } from '../agent/logger.js';
import type { Heartbeat } from '../engine/messages.js';
import { DiskIo, type DiskIoMode } from './disk-io.js';
import {
  decodeSlot,
  diskBytes,
  DISK_BLOCK,
  DISK_DEFAULT_SLOTS,
  DISK_LAYOUT_VERSION,
  DISK_SLOT_SIZE,
  encodeHeader,
  encodeSlot,
  readHeader,
  slotOffset,
  type DiskHeader,
} from './disk-layout.js';
import { decodeFrame, encodeFrame, type FrameContext } from './frame.js';
import type { HeartbeatHandler, HeartbeatLink, LocalLinkState, LocalLinkStatus } from './link.js';
import { SenderWindow } from './sender-window.js';

export interface DiskLinkOptions {
  device: string;
  self: string;
  /** Every server of the cluster in configured order: server i owns slot i. */
  servers: string[];
  cluster: string;
  /** deriveKey(clusterKey, cluster, 'heartbeat') */
  key: Buffer;
  heartbeatIntervalMs: number;
  logger: Logger;
  /** Longest a read or write may take before the link counts as stalled; default 2 x interval, at least 500 ms. */
  deadlineMs?: number;
}

export interface DiskCounters {
  framesIn: number;
  framesOut: number;
  /** Slot contents that failed the HMAC (counted once per new content): forged, or another key. */
  hmacFailures: number;
  /** Authentic slot contents refused: written by another server than the slot's owner, stale, wrong cluster. */
  rejected: number;
  /** Reads or writes that missed their deadline. */
  stalls: number;
  ioErrors: number;
  /** Beats not written because the previous IO had not finished. */
  skipped: number;
}

export class DiskLink implements HeartbeatLink {
  readonly id = 'disk';
  readonly kind = 'disk' as const;
  private readonly options: DiskLinkOptions;
  private readonly context: FrameContext;
  private readonly index: number;
  private readonly deadlineMs: number;
  private readonly windows = new Map<string, SenderWindow>();
  private readonly lastHeardAt = new Map<string, number>();
  /** The last slot content judged per peer, so an unchanged bad slot is counted once. */
  private readonly lastRaw = new Map<string, Buffer>();
  private readonly count: DiskCounters = {
    framesIn: 0,
    framesOut: 0,
    hmacFailures: 0,
    rejected: 0,
    stalls: 0,
    ioErrors: 0,
    skipped: 0,
  };
  private handlers: HeartbeatHandler[] = [];
  private io: DiskIo | null = null;
  private header: DiskHeader | null = null;
  private mode: DiskIoMode | null = null;
  private state: LocalLinkState = 'opening';
  private stalled = false;
  private detail: string | undefined;
  private seq = 0;

  constructor(options: DiskLinkOptions) {
    this.index = options.servers.indexOf(options.self);
    if (this.index < 0) throw new Error(`disk: ${options.self} is not among the servers`);
    this.options = options;
    this.deadlineMs = options.deadlineMs ?? Math.max(500, 2 * options.heartbeatIntervalMs);
    const peers = options.servers.filter((name) => name !== options.self);
    for (const peer of peers) this.windows.set(peer, new SenderWindow());
    this.context = { key: options.key, cluster: options.cluster, peers: new Set(peers) };
  }

  /**
   * Opens the device, and writes the header if the first block is all zeros. Rejects, naming the
   * device and what to check, if it cannot be opened or holds anything else: another cluster's
   * header is never overwritten.
   */
  async start(): Promise<void> {
    if (this.io) throw new Error('disk: start() called twice');
    const { device, cluster, servers } = this.options;
    const slots = Math.max(DISK_DEFAULT_SLOTS, servers.length);
    const io = new DiskIo(device, diskBytes(slots));
    this.io = io;
    try {
      this.mode = await io.open();
      const block = await io.read(0, DISK_BLOCK, this.deadlineMs);
      const found = readHeader(block, cluster);
      if (found.kind === 'foreign')
        throw new Error(
          `refusing to use ${device} as the DISK heartbeat link: ${found.why}. Check servers[].disk; only if the device is really meant for cluster "${cluster}", run "vigil disk init ${device} --cluster ${cluster} --force" while no agent uses it`,
        );
      if (found.kind === 'empty') {
        this.header = { version: DISK_LAYOUT_VERSION, slotSize: DISK_SLOT_SIZE, slotCount: slots, cluster };
        await io.write(0, encodeHeader(this.header), this.deadlineMs);
        this.options.logger.info('disk-initialised', { device, slots });
      } else this.header = found.header;
      if (this.header.slotCount < servers.length)
        throw new Error(
          `${device} has ${this.header.slotCount} slots but the cluster has ${servers.length} servers: run "vigil disk init ${device} --cluster ${cluster} --slots N" while no agent uses it`,
        );
    } catch (error) {
      await this.close();
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`disk: ${message.startsWith('refusing') ? message : `${device}: ${message}`}`, {
        cause: error,
      });
    }
    io.onStall = (stalled, what) => this.onStall(stalled, what);
    if (this.mode.io === 'dsync')
      this.logOnce('disk:dsync', 'warn', 'disk-no-direct-io', {
        device,
        reason: this.mode.why,
        advice:
          "reads may come from this server's page cache; on a disk shared between machines the peers' slots may look frozen",
      });
    this.state = 'up';
  }

  onHeartbeat(handler: HeartbeatHandler): void {
    this.handlers.push(handler);
  }

  /** Writes our slot, then reads everyone's; false if the previous beat's IO has not finished. */
  sendHeartbeat(body: Heartbeat): boolean {
    const io = this.io;
    const header = this.header;
    if (!io || !header || this.state === 'closed' || this.state === 'opening') return false;
    if (io.busy) {
      this.count.skipped++;
      return false;
    }
    let image: Buffer;
    try {
      const frame = encodeFrame(
        {
          cluster: this.options.cluster,
          sender: this.options.self,
          incarnation: body.incarnation,
          seq: ++this.seq,
          sentAt: Date.now(),
          body,
        },
        this.options.key,
      );
      image = encodeSlot(frame, header.slotSize);
    } catch (error) {
      this.logOnce('disk:encode', 'error', 'disk-heartbeat-not-written', { error: String(error) });
      return false;
    }
    const length = this.options.servers.length * header.slotSize;
    void io
      .write(slotOffset(header, this.index), image, this.deadlineMs)
      .then(() => {
        this.count.framesOut++;
        return io.read(slotOffset(header, 0), length, this.deadlineMs);
      })
      .then((slots) => this.readSlots(slots, header))
      .catch((error: unknown) => {
        if (this.state === 'closed') return;
        this.count.ioErrors++;
        this.detail = `IO on ${this.options.device} failed: ${error instanceof Error ? error.message : String(error)}`;
        this.logOnce('disk:io', 'error', 'disk-io-failed', {
          device: this.options.device,
          error: this.detail,
        });
      });
    return true;
  }

  counters(): Record<string, number> {
    return { 'disk-forged': this.count.hmacFailures, 'disk-rejected': this.count.rejected };
  }

  stats(): Record<string, { rttMs: number | null; loss: number | null; lastHeardAt: number | null }> {
    const result: Record<string, { rttMs: number | null; loss: number | null; lastHeardAt: number | null }> =
      {};
    for (const [peer, window] of this.windows)
      result[peer] = { rttMs: null, loss: window.loss(), lastHeardAt: this.lastHeardAt.get(peer) ?? null };
    return result;
  }

  local(): LocalLinkStatus {
    return {
      id: this.id,
      kind: 'disk',
      state: this.state,
      endpoint: `${this.options.device}${this.mode ? ` (io ${this.mode.io})` : ''}`,
      counters: { ...this.count },
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.handlers = [];
    await this.io?.close();
  }

  private onStall(stalled: boolean, what: string): void {
    if (this.state === 'closed' || stalled === this.stalled) return;
    this.stalled = stalled;
    if (stalled) {
      this.count.stalls++;
      this.state = 'stalled';
      this.detail = `${this.options.device}: ${what}`;
      this.options.logger.warn('disk-stalled', { device: this.options.device, what });
    } else {
      this.state = 'up';
      this.options.logger.info('disk-resumed', { device: this.options.device });
    }
  }

  private readSlots(slots: Buffer, header: DiskHeader): void {
    if (this.state === 'closed') return;
    this.options.servers.forEach((peer, index) => {
      if (index === this.index) return;
      const at = index * header.slotSize;
      const frame = decodeSlot(slots.subarray(at, at + header.slotSize));
      if (!frame || this.lastRaw.get(peer)?.equals(frame)) return; // never written, or not advanced
      this.lastRaw.set(peer, Buffer.from(frame));
      this.judge(peer, frame);
    });
  }

  private judge(owner: string, bytes: Buffer): void {
    const result = decodeFrame(bytes, this.context);
    if (!result.ok) {
      if (result.reason === 'forged') {
        this.count.hmacFailures++;
        return this.logOnce('disk:forged', 'warn', 'disk-slot-ignored', {
          slot: owner,
          reason: 'forged',
          advice:
            'a disk slot failed authentication: check that every server has the same cluster key file, and that nothing else writes to the device',
        });
      }
      return this.reject(owner, result.reason);
    }
    const { frame } = result;
    if (frame.sender !== owner) return this.reject(owner, `written by ${frame.sender}`);
    const verdict = (this.windows.get(owner) as SenderWindow).observe(frame.incarnation, frame.seq);
    if (verdict !== 'accepted') return this.reject(owner, verdict);
    this.count.framesIn++;
    this.lastHeardAt.set(owner, Date.now());
    for (const handler of this.handlers) handler(owner, this.id, frame.body);
  }

  private reject(slot: string, reason: string): void {
    this.count.rejected++;
    this.logOnce(`disk:${reason}`, 'warn', 'disk-slot-ignored', { slot, reason });
  }

  private logOnce(kind: string, level: LogLevel, event: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger.once(kind, level, event, fields);
    } catch {
      // A failing log must not break the link; the counters have it.
    }
  }
}
