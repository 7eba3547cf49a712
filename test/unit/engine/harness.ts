// A small lock-step cluster for engine unit tests: messages arrive on the next step, resource
// actions finish after `resourceMs`, and a test can cut servers off or crash them. The simulator
// (src/sim) does the randomised version; this one keeps rule tests short and readable.
import { Engine } from '../../../src/engine/engine.js';
import type { EngineOutput, PersistedState } from '../../../src/engine/io.js';
import type { ClusterModel } from '../../../src/engine/model.js';
import type { PeerMessage } from '../../../src/engine/messages.js';

interface Pending {
  at: number;
  deliver: () => void;
}

export interface HarnessOptions {
  resourceMs?: number;
  failStart?: (server: string, group: string, resource: string) => boolean;
  failStop?: (server: string, group: string, resource: string) => boolean;
}

export class Harness {
  now = 0;
  engines = new Map<string, Engine>();
  persisted = new Map<string, PersistedState>();
  /** Ground truth: `server/group/resource` entries that are running. */
  running = new Set<string>();
  outputs: { server: string; at: number; output: EngineOutput }[] = [];
  /** Directed cuts: `a>b` drops everything a sends to b. */
  cuts = new Set<string>();
  private queue: Pending[] = [];
  private incarnations = new Map<string, number>();

  constructor(
    readonly model: ClusterModel,
    private readonly options: HarnessOptions = {},
  ) {
    for (const s of model.servers) this.boot(s.name);
  }

  boot(server: string): void {
    const incarnation = (this.incarnations.get(server) ?? 0) + 1;
    this.incarnations.set(server, incarnation);
    this.engines.set(
      server,
      new Engine(this.model, server, { now: this.now, incarnation, persisted: this.persisted.get(server) }),
    );
  }

  crash(server: string): void {
    this.engines.delete(server);
    for (const key of [...this.running]) if (key.startsWith(`${server}/`)) this.running.delete(key);
  }

  isolate(server: string): void {
    for (const s of this.model.servers) {
      if (s.name === server) continue;
      this.cuts.add(`${server}>${s.name}`);
      this.cuts.add(`${s.name}>${server}`);
    }
  }

  heal(): void {
    this.cuts.clear();
  }

  /**
   * The server's shell stops for `ms` (SIGSTOP): its engine gets nothing, its resources keep
   * running; on waking, the shell feeds `stalled` first when `tellEngine`, then ticks resume.
   */
  stall(server: string, ms: number, tellEngine = true): EngineOutput[] {
    const engine = this.engines.get(server);
    if (!engine) throw new Error(`${server} is down`);
    this.engines.delete(server);
    this.run(ms);
    this.engines.set(server, engine);
    return tellEngine ? this.feed(server, { type: 'stalled', now: this.now, gapMs: ms }) : [];
  }

  /** Where each group's resources run, by ground truth. */
  activeOn(group: string): string[] {
    const servers = new Set<string>();
    for (const key of this.running) {
      const [server, g] = key.split('/');
      if (g === group) servers.add(server);
    }
    return [...servers];
  }

  view(server: string) {
    const engine = this.engines.get(server);
    if (!engine) throw new Error(`${server} is down`);
    return engine.view();
  }

  operator(
    server: string,
    command: Parameters<Engine['step']>[0] & { type: 'operator' } extends { command: infer C } ? C : never,
  ) {
    const outputs = this.feed(server, {
      type: 'operator',
      now: this.now,
      id: 'op',
      operator: 'test',
      command,
    });
    return outputs.find((o) => o.type === 'reply');
  }

  /** Advance time in `stepMs` ticks until `until` (ms) or the condition holds; returns whether it held. */
  runUntil(condition: () => boolean, limitMs: number, stepMs = 50): boolean {
    const end = this.now + limitMs;
    while (this.now <= end) {
      if (condition()) return true;
      this.tick(stepMs);
    }
    return condition();
  }

  run(ms: number, stepMs = 50): void {
    const end = this.now + ms;
    while (this.now < end) this.tick(stepMs);
  }

  private tick(stepMs: number): void {
    this.now += stepMs;
    const due = this.queue.filter((p) => p.at <= this.now);
    this.queue = this.queue.filter((p) => p.at > this.now);
    for (const p of due) p.deliver();
    for (const server of [...this.engines.keys()]) this.feed(server, { type: 'tick', now: this.now });
  }

  monitorResult(server: string, monitor: string, ok: boolean, warning?: boolean): void {
    this.feed(server, {
      type: 'monitor-result',
      now: this.now,
      monitor,
      ok,
      detail: warning ? 'memory 93% (warning above 90)' : ok ? '' : 'check failed',
      ...(warning ? { warning } : {}),
    });
  }

  private feed(server: string, input: Parameters<Engine['step']>[0]): EngineOutput[] {
    const engine = this.engines.get(server);
    if (!engine) return [];
    const outputs = engine.step(input);
    for (const output of outputs) this.carryOut(server, output);
    return outputs;
  }

  private carryOut(server: string, output: EngineOutput): void {
    this.outputs.push({ server, at: this.now, output });
    const incarnation = this.incarnations.get(server);
    const alive = () => this.engines.has(server) && this.incarnations.get(server) === incarnation;
    switch (output.type) {
      case 'send': {
        const targets =
          output.to === '*' ? this.model.servers.map((s) => s.name).filter((n) => n !== server) : [output.to];
        for (const to of targets) this.deliver(server, to, output.message);
        return;
      }
      case 'persist':
        this.persisted.set(server, structuredClone(output.state));
        return;
      case 'start-resource':
      case 'stop-resource': {
        const key = `${server}/${output.group}/${output.resource}`;
        const starting = output.type === 'start-resource';
        const fail =
          (starting ? this.options.failStart : this.options.failStop)?.(
            server,
            output.group,
            output.resource,
          ) ?? false;
        if (starting) this.running.add(key);
        this.queue.push({
          at: this.now + (this.options.resourceMs ?? 100),
          deliver: () => {
            if (!alive()) return;
            if ((starting && fail) || (!starting && !fail)) this.running.delete(key);
            this.feed(server, {
              type: 'resource-done',
              now: this.now,
              group: output.group,
              resource: output.resource,
              action: starting ? 'start' : 'stop',
              ok: !fail,
            });
          },
        });
        return;
      }
      case 'fence':
        for (const group of output.groups) {
          for (const key of [...this.running])
            if (key.startsWith(`${server}/${group}/`)) this.running.delete(key);
        }
        return;
      default:
        return;
    }
  }

  private deliver(from: string, to: string, message: PeerMessage): void {
    if (this.cuts.has(`${from}>${to}`)) return;
    this.queue.push({
      at: this.now + 1,
      deliver: () => this.feed(to, { type: 'message', now: this.now, from, link: 'lan0', message }),
    });
  }
}

export function model(servers: number, overrides: Partial<ClusterModel> = {}): ClusterModel {
  const names = Array.from({ length: servers }, (_, i) => `s${i + 1}`);
  return {
    name: 'test',
    timing: {
      heartbeatIntervalMs: 500,
      heartbeatTimeoutMs: 2000,
      npDeadlineMs: 1000,
      fenceDeadlineMs: 1000,
      takeoverDelayMs: 4500,
    },
    servers: names.map((name) => ({ name, links: [{ id: 'lan0', kind: 'lan' }] })),
    partition: { methods: [{ kind: 'majority' }], action: 'stop-service' },
    groups: [
      {
        name: 'web',
        policy: names,
        startup: 'auto',
        failback: 'manual',
        resources: [
          { name: 'ip', type: 'exec', dependsOn: [], startTimeoutMs: 5000, stopTimeoutMs: 5000, params: {} },
          {
            name: 'app',
            type: 'exec',
            dependsOn: ['ip'],
            startTimeoutMs: 5000,
            stopTimeoutMs: 5000,
            params: {},
          },
        ],
      },
    ],
    monitors: [],
    ...overrides,
  };
}
