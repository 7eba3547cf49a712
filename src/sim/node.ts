// A simulated server: one Engine and the shell around it. It feeds the engine ticks, messages,
// resource and monitor results and operator commands, and carries out the engine's outputs in order:
// sends go to the simulated network, resource actions to simulated resources (which change the ground
// truth and report back), fences kill resources and then stop, reboot or power off the server,
// monitors run on their interval, persisted state survives crashes, the rest goes to the trace.
//
// Everything the engine asks for comes back to it through the event queue, never by a nested call,
// so a step never re-enters the engine. A crash bumps the node's generation: every pending event of
// the old generation (ticks, resource completions, monitor checks, messages in flight) is dropped.
import type { ClusterModel, FenceAction } from '../engine/model.js';
import type { EngineInput, EngineOutput, OperatorCommand, PersistedState } from '../engine/io.js';
import type { PeerMessage } from '../engine/messages.js';
import type { EngineFactory, EngineLike, UnsafeOptions } from './engine-port.js';
import type { EventQueue } from './queue.js';
import type { Rng } from './prng.js';
import type { SimNetwork } from './network.js';
import type { GroundTruth } from './truth.js';
import type { Trace } from './trace.js';
import type { FaultBook } from './faults.js';
import type { SimArbiter } from './arbiter.js';
import { SimNpShell } from './np-shell.js';

export type NodeStatus = 'up' | 'down' | 'off';

/** Durations of the simulated shell (ms). */
export interface ShellTiming {
  tickMs: number;
  /** A normal resource action takes a uniform time in this range. */
  resourceMs: [number, number];
  /** A slow one takes this fraction of its timeout (the upper end may exceed it: then it times out). */
  slowFraction: [number, number];
  /** One monitor check. */
  monitorCheckMs: [number, number];
  /** A reboot (fence or final action) brings the server back after this long. */
  rebootMs: [number, number];
}

export interface NodeEnv {
  readonly model: ClusterModel;
  readonly queue: EventQueue;
  readonly rng: Rng;
  readonly network: SimNetwork;
  readonly truth: GroundTruth;
  readonly trace: Trace;
  readonly faults: FaultBook;
  readonly arbiter: SimArbiter;
  readonly factory: EngineFactory;
  readonly unsafe: UnsafeOptions | undefined;
  readonly shell: ShellTiming;
  /** Called after every engine step with what went in and came out (invariant checks). */
  afterStep(node: SimNode, input: EngineInput, outputs: EngineOutput[]): void;
  /** The engine threw: the world records it as a violation. */
  engineError(node: SimNode, input: EngineInput, error: unknown): void;
}

interface PendingOp {
  token: number;
  action: 'start' | 'stop';
}

export class SimNode {
  status: NodeStatus = 'down';
  engine: EngineLike | null = null;
  incarnation = 0;
  /** Bumped at every boot and crash; events of an older generation are stale. */
  generation = 0;
  persisted: PersistedState | undefined;
  /** A restart is scheduled (reboot in progress). */
  restartPending = false;
  /** Last monitor set the engine asked for. */
  monitorsActive: string[] = [];
  private readonly ops = new Map<string, PendingOp>();
  private readonly monitorTokens = new Map<string, number>();
  private nextToken = 1;
  private readonly peers: string[];
  private readonly np: SimNpShell;

  constructor(
    readonly name: string,
    private readonly env: NodeEnv,
  ) {
    this.peers = env.model.servers.map((s) => s.name).filter((n) => n !== name);
    this.np = new SimNpShell(
      name,
      env,
      (gen) => this.generation === gen && this.status === 'up',
      (facts) => this.step({ type: 'np-facts', now: env.queue.now, facts }),
    );
  }

  get up(): boolean {
    return this.status === 'up';
  }

  /** Starts the agent: a new engine with the persisted state and the next incarnation. */
  boot(): void {
    if (this.status === 'up') return;
    const { queue, factory, model, unsafe, shell, rng, trace } = this.env;
    this.status = 'up';
    this.restartPending = false;
    this.incarnation++;
    this.generation++;
    const persisted = this.persisted ? structuredClone(this.persisted) : undefined;
    trace.add(queue.now, this.name, 'boot', `agent starts, incarnation ${this.incarnation}`);
    try {
      this.engine = factory(model, this.name, {
        now: queue.now,
        incarnation: this.incarnation,
        ...(persisted ? { persisted } : {}),
        ...(unsafe ? { unsafe } : {}),
      });
    } catch (error) {
      this.engine = null;
      this.env.engineError(this, { type: 'tick', now: queue.now }, error);
      return;
    }
    const gen = this.generation;
    const tick = () => {
      if (this.generation !== gen) return;
      this.step({ type: 'tick', now: queue.now });
      if (this.generation === gen) queue.after(shell.tickMs, tick);
    };
    // Ticks of different servers are out of phase, as on real machines.
    queue.after(rng.int(0, shell.tickMs - 1), tick);
  }

  /** The agent dies: the engine is gone, every resource of the server is killed. */
  crash(reason: string, powerOff = false): void {
    if (this.status !== 'up' && !(powerOff && this.status === 'down')) return;
    const { queue, truth, trace } = this.env;
    this.status = powerOff ? 'off' : 'down';
    this.engine = null;
    this.generation++;
    this.ops.clear();
    this.monitorTokens.clear();
    this.monitorsActive = [];
    const killed = truth.kill(this.name);
    trace.add(
      queue.now,
      this.name,
      powerOff ? 'poweroff' : 'crash',
      `${reason}${killed.length ? `; killed ${killed.join(' ')}` : ''}`,
    );
  }

  /** Crash now and boot again after a reboot delay. */
  reboot(reason: string): void {
    const { queue, rng, shell } = this.env;
    this.crash(reason);
    this.restartPending = true;
    const gen = this.generation;
    queue.after(rng.int(shell.rebootMs[0], shell.rebootMs[1]), () => {
      if (this.generation === gen && this.status === 'down') this.boot();
    });
  }

  /** A peer message arrives (the network already dropped what could not get through). */
  deliver(from: string, link: string, message: PeerMessage): void {
    if (this.status !== 'up') return;
    this.step({ type: 'message', now: this.env.queue.now, from, link, message });
  }

  operator(id: string, command: OperatorCommand): void {
    if (this.status !== 'up') return;
    this.env.trace.add(this.env.queue.now, this.name, 'operator', `${id} ${describeCommand(command)}`);
    this.step({ type: 'operator', now: this.env.queue.now, id, operator: 'sim', command });
  }

  /** One engine step, then its outputs in order. */
  step(input: EngineInput): void {
    const engine = this.engine;
    if (!engine || this.status !== 'up') return;
    let outputs: EngineOutput[];
    try {
      outputs = engine.step(input);
    } catch (error) {
      this.env.engineError(this, input, error);
      return;
    }
    const gen = this.generation;
    for (const out of outputs) {
      if (this.generation !== gen) break;
      this.carry(out);
    }
    this.env.afterStep(this, input, outputs);
  }

  private carry(out: EngineOutput): void {
    const { queue, network, trace } = this.env;
    switch (out.type) {
      case 'send':
        if (out.to === '*') {
          for (const peer of this.peers) network.send(this.name, peer, out.message, this.generation);
        } else if (out.to !== this.name) {
          network.send(this.name, out.to, out.message, this.generation);
        }
        return;
      case 'start-resource':
      case 'stop-resource':
        this.resourceAction(
          out.type === 'start-resource' ? 'start' : 'stop',
          out.group,
          out.resource,
          out.timeoutMs,
        );
        return;
      case 'fence':
        trace.add(queue.now, this.name, 'fence', `${out.action}: ${out.reason}`, { groups: out.groups });
        this.fence(out.action, out.groups);
        return;
      case 'final-action':
        trace.add(queue.now, this.name, 'final', `${out.action}: ${out.reason}`);
        if (out.action === 'reboot') this.reboot(`final action: ${out.reason}`);
        else if (out.action === 'poweroff') this.crash(`final action: ${out.reason}`, true);
        // stop-cluster: the agent stops its service (a crash that waits for the heal to restart).
        else this.crash(`final action stop-cluster: ${out.reason}`);
        return;
      case 'monitors':
        this.setMonitors(out.active);
        return;
      case 'np-resolve':
        trace.add(queue.now, this.name, 'np', out.active ? 'resolution begins' : 'resolution ends');
        this.np.resolve(out.active, out.holding, this.generation);
        return;
      case 'persist':
        this.persisted = structuredClone(out.state);
        return;
      case 'alert':
        trace.add(
          queue.now,
          this.name,
          'alert',
          `${out.alert.severity} ${out.alert.kind}: ${out.alert.message}`,
        );
        return;
      case 'reply':
        trace.add(queue.now, this.name, 'reply', `${out.id} ${out.ok ? 'ok' : 'refused'}: ${out.message}`);
        return;
      case 'log':
        trace.add(queue.now, this.name, `log.${out.level}`, out.event, out.fields);
        return;
    }
  }

  private resourceAction(action: 'start' | 'stop', group: string, resource: string, timeoutMs: number): void {
    const { queue, rng, truth, faults, shell, trace } = this.env;
    const key = `${group}/${resource}`;
    const token = this.nextToken++;
    this.ops.set(key, { token, action });
    const before = truth.get(this.name, group, resource);
    const mode = faults.resourceMode(this.name, group, resource, action);
    let duration = rng.int(shell.resourceMs[0], shell.resourceMs[1]);
    let ok = true;
    let detail = '';
    if (mode === 'slow') {
      const f = shell.slowFraction[0] + rng.float() * (shell.slowFraction[1] - shell.slowFraction[0]);
      duration = Math.floor(timeoutMs * f);
    } else if (mode === 'fail') {
      ok = false;
      detail = 'script exited 1';
    } else if (mode === 'timeout') {
      duration = timeoutMs;
    }
    if (duration >= timeoutMs) {
      duration = timeoutMs;
      ok = false;
      detail = `timed out after ${timeoutMs}ms`;
    }
    trace.add(queue.now, this.name, action, `${key}${mode === 'normal' ? '' : ` (${mode})`}`);
    if (action === 'start') truth.set(this.name, group, resource, 'starting');
    else if (before !== 'offline') truth.set(this.name, group, resource, 'stopping');
    const gen = this.generation;
    queue.after(duration, () => {
      if (this.generation !== gen || this.ops.get(key)?.token !== token) return;
      this.ops.delete(key);
      trace.add(
        queue.now,
        this.name,
        action === 'start' ? 'started' : 'stopped',
        `${key} ${ok ? 'ok' : `FAILED (${detail})`}`,
      );
      if (action === 'start') truth.set(this.name, group, resource, ok ? 'online' : 'offline');
      // A stop that failed or timed out leaves the resource running.
      else if (truth.get(this.name, group, resource) !== 'offline') {
        truth.set(this.name, group, resource, ok ? 'offline' : 'online');
      }
      this.step({
        type: 'resource-done',
        now: queue.now,
        group,
        resource,
        action,
        ok,
        ...(detail ? { detail } : {}),
      });
    });
  }

  /**
   * Self-fence: within the fence deadline every resource of `groups` is killed (the instant is drawn
   * at random, which is stricter than killing at once), then the action is carried out.
   */
  private fence(action: FenceAction, groups: string[]): void {
    const { queue, rng, truth, trace, model } = this.env;
    const gen = this.generation;
    queue.after(rng.int(0, model.timing.fenceDeadlineMs), () => {
      if (this.generation !== gen) return;
      for (const key of [...this.ops.keys()]) {
        if (groups.includes(key.slice(0, key.indexOf('/')))) this.ops.delete(key);
      }
      const killed = truth.kill(this.name, groups);
      trace.add(queue.now, this.name, 'killed', killed.length ? killed.join(' ') : 'nothing was running');
      if (action === 'reboot') this.reboot('fenced: reboot');
      else if (action === 'poweroff') this.crash('fenced: power off', true);
    });
  }

  private setMonitors(active: string[]): void {
    this.monitorsActive = active.slice();
    for (const name of [...this.monitorTokens.keys()]) {
      if (!active.includes(name)) this.monitorTokens.delete(name);
    }
    for (const name of active) {
      if (this.monitorTokens.has(name)) continue;
      const monitor = this.env.model.monitors.find((m) => m.name === name);
      if (!monitor) continue;
      const token = this.nextToken++;
      this.monitorTokens.set(name, token);
      this.scheduleCheck(name, monitor.intervalMs, token);
    }
  }

  private scheduleCheck(name: string, delay: number, token: number): void {
    const { queue, rng, shell, model } = this.env;
    const gen = this.generation;
    const monitor = model.monitors.find((m) => m.name === name)!;
    queue.after(delay, () => {
      if (this.generation !== gen || this.monitorTokens.get(name) !== token) return;
      const took = rng.int(shell.monitorCheckMs[0], shell.monitorCheckMs[1]);
      queue.after(took, () => {
        if (this.generation !== gen || this.monitorTokens.get(name) !== token) return;
        const { ok, detail } = this.checkMonitor(name);
        this.step({
          type: 'monitor-result',
          now: queue.now,
          monitor: name,
          ok,
          ...(detail ? { detail } : {}),
        });
        if (this.generation === gen && this.monitorTokens.get(name) === token) {
          this.scheduleCheck(name, Math.max(1, monitor.intervalMs - took), token);
        }
      });
    });
  }

  private checkMonitor(name: string): { ok: boolean; detail?: string } {
    const { faults, truth, model } = this.env;
    if (faults.monitorFails(this.name, name)) return { ok: false, detail: 'injected failure' };
    const target = model.monitors.find((m) => m.name === name)?.target;
    if (!target) return { ok: true };
    const group = model.groups.find((g) => g.name === target.group);
    const resources = target.resource ? [target.resource] : (group?.resources.map((r) => r.name) ?? []);
    for (const r of resources) {
      if (truth.get(this.name, target.group, r) !== 'online')
        return { ok: false, detail: `${target.group}/${r} not running` };
    }
    return { ok: true };
  }
}

export function describeCommand(c: OperatorCommand): string {
  const parts: string[] = [c.op];
  for (const [k, v] of Object.entries(c)) if (k !== 'op') parts.push(`${k}=${String(v)}`);
  return parts.join(' ');
}
