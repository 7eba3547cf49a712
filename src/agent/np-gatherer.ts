// The agent's side of partition resolution: while the engine asks for it, every heartbeat interval,
// ping the targets, look for the serial peer's frames on the COM link, ask the witness for the lease
// or take it on the shared disk (renewing it), and hand the engine the facts; when resolution ends,
// give the lease back. The simulator's np-shell.ts does the same in simulation.
import { execFile } from 'node:child_process';
import type { ClusterModel, NpMethodModel } from '../engine/model.js';
import type { NpFacts } from '../engine/quorum.js';
import { WitnessClient } from '../witness/client.js';
import { DiskLease } from './disk-lease.js';

/** The partition methods the agent can carry out today. */
export const agentNpMethods: readonly NpMethodModel['kind'][] = [
  'majority',
  'ping',
  'com',
  'disk',
  'witness',
];

/** One line per configured method the agent cannot carry out yet. */
export function npMethodsWithoutSupport(model: ClusterModel): string[] {
  return model.partition.methods
    .filter((m) => !agentNpMethods.includes(m.kind))
    .map(
      (m) =>
        `partition method ${m.kind}: not supported by this agent yet; supported: ${agentNpMethods.join(', ')}`,
    );
}

export interface NpGathererOptions {
  model: ClusterModel;
  self: string;
  witnessKey: Buffer;
  now: () => number;
  feed: (facts: NpFacts) => void;
  /** Wall-clock ms of the last valid frame from the serial peer (the COM link), null if none yet. */
  comHeardAt?: () => number | null;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export class NpGatherer {
  private round = 0;
  private timer: NodeJS.Timeout | null = null;
  private validUntil = 0;
  private readonly witness: {
    method: Extract<NpMethodModel, { kind: 'witness' }>;
    client: WitnessClient;
  } | null;
  private readonly disk: DiskLease | null;

  constructor(private readonly options: NpGathererOptions) {
    const disk = options.model.partition.methods.find((m) => m.kind === 'disk');
    const timing = options.model.timing;
    this.disk = disk
      ? new DiskLease({
          device: disk.device,
          cluster: options.model.name,
          servers: options.model.servers.map((s) => s.name),
          self: options.self,
          durationMs: timing.heartbeatTimeoutMs,
          ioDeadlineMs: diskDeadlineMs(timing.heartbeatIntervalMs),
          // Covers the holder's last write landing late and the interval between our reads.
          marginMs: 2 * diskDeadlineMs(timing.heartbeatIntervalMs) + timing.heartbeatIntervalMs,
          now: options.now,
        })
      : null;
    const method = options.model.partition.methods.find((m) => m.kind === 'witness');
    this.witness = method
      ? {
          method,
          client: new WitnessClient(method.url, options.model.name, options.self, options.witnessKey),
        }
      : null;
  }

  resolve(active: boolean, holding: boolean): void {
    const round = ++this.round;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!active) {
      if (this.witness && this.validUntil > 0) void this.witness.client.ask('release', 1, this.timeoutMs());
      this.validUntil = 0;
      void this.disk?.release();
      return;
    }
    // A server that runs nothing asks for the lease a little later, so a holder keeps its groups.
    const first = holding ? 0 : Math.floor(this.options.model.timing.npDeadlineMs / 2);
    this.timer = setTimeout(() => this.gather(round), first);
  }

  stop(): void {
    this.resolve(false, false);
    void this.disk?.release().finally(() => this.disk?.close());
  }

  private timeoutMs(): number {
    return Math.max(100, Math.floor(this.options.model.timing.heartbeatIntervalMs * 0.8));
  }

  private gather(round: number): void {
    if (round !== this.round) return;
    for (const method of this.options.model.partition.methods) {
      if (method.kind === 'ping') void this.ping(method, round);
      if (method.kind === 'witness') void this.lease(round);
      if (method.kind === 'disk') void this.diskLease(round);
      if (method.kind === 'com') this.com();
    }
    this.timer = setTimeout(() => this.gather(round), this.options.model.timing.heartbeatIntervalMs);
    this.timer.unref();
  }

  private async ping(method: Extract<NpMethodModel, { kind: 'ping' }>, round: number): Promise<void> {
    const seconds = String(Math.max(1, Math.ceil(this.timeoutMs() / 1000)));
    const answers = await Promise.all(
      method.targets.map(
        (target) =>
          new Promise<boolean>((resolve) => {
            execFile(
              'ping',
              ['-c1', '-n', '-W', seconds, target],
              { timeout: this.timeoutMs() + 1000 },
              (error) => resolve(!error),
            );
          }),
      ),
    );
    if (round !== this.round) return;
    const reachable = method.targets.filter((_, i) => answers[i]);
    this.options.feed({ ping: { reachable, at: this.options.now() } });
  }

  private async lease(round: number): Promise<void> {
    if (!this.witness) return;
    const durationMs = this.options.model.timing.heartbeatTimeoutMs;
    const sentAt = this.options.now();
    const answer = await this.witness.client.ask('acquire', durationMs, this.timeoutMs());
    if (round !== this.round) return;
    // Counted from when we asked: our view of the lease always ends before the witness's.
    if (answer.granted) this.validUntil = sentAt + answer.remainingMs;
    else this.options.log('np-lease-refused', { method: 'witness', detail: answer.detail });
    const now = this.options.now();
    const held = this.validUntil > now;
    this.options.feed({
      lease: {
        method: 'witness',
        held,
        validUntil: held ? this.validUntil : 0,
        detail: answer.detail,
        at: now,
      },
    });
  }

  /** The serial peer answered: a valid frame from it on the COM link within a heartbeat timeout. */
  private com(): void {
    const heardAt = this.options.comHeardAt?.() ?? null;
    const peerAnswered =
      heardAt !== null && Date.now() - heardAt <= this.options.model.timing.heartbeatTimeoutMs;
    this.options.feed({ com: { peerAnswered, at: this.options.now() } });
  }

  private async diskLease(round: number): Promise<void> {
    if (!this.disk) return;
    const view = await this.disk.step();
    if (round !== this.round) return;
    if (!view.held) this.options.log('np-lease-refused', { method: 'disk', detail: view.detail });
    this.options.feed({ lease: { method: 'disk', ...view, at: this.options.now() } });
  }
}

/** Every lease read and write must finish within half a heartbeat interval. */
function diskDeadlineMs(intervalMs: number): number {
  return Math.max(50, Math.floor(intervalMs / 2));
}
