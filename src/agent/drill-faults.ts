// The faults a drill injects on this server, each taken back by itself after its time (or on
// demand): a monitor's dummy failure, muted heartbeats, a stopped service process. Agent-local on
// purpose: a drill fails one server, so the failover target stays healthy.
import type { Logger } from './logger.js';
import { pidFilePath, readPidFile } from '../resources/pid-file.js';
import type { DrillKind } from '../drills/types.js';

export const DUMMY_FAILURE_DETAIL = 'dummy failure (drill)';

export interface Fault {
  /** The drill's id, or `manual` for `vigil monitor dummy-failure`. */
  drill: string;
  kind: DrillKind;
  /** A monitor, this server, or GROUP/RESOURCE. */
  target: string;
  /** 0: until reverted on demand. */
  durationMs: number;
  signal?: 'SIGKILL' | 'SIGSTOP';
}

interface Active {
  fault: Fault;
  timer: NodeJS.Timeout | null;
  revert: () => void;
}

export class DrillFaults {
  private readonly active = new Map<string, Active>();
  private readonly dummy = new Set<string>();
  private muted = 0;

  constructor(
    private readonly logger: Logger,
    private readonly stateDir: string,
  ) {}

  /** Injects the fault; throws with what went wrong (nothing is left half-done). */
  apply(fault: Fault): string {
    const key = `${fault.kind}:${fault.target}`;
    if (this.active.has(key)) this.revert((a) => `${a.fault.kind}:${a.fault.target}` === key, 'replaced');
    const { revert, message } = this.inject(fault);
    const timer =
      fault.durationMs > 0
        ? setTimeout(() => this.revert((a) => a.fault === fault, 'time'), fault.durationMs)
        : null;
    timer?.unref();
    this.active.set(key, { fault, timer, revert });
    this.logger.warn('drill-fault-injected', { ...fault, message });
    return message;
  }

  /** Takes back the faults `which` selects; returns how many. */
  revert(which: (active: Active) => boolean, why: string): number {
    let count = 0;
    for (const [key, active] of [...this.active]) {
      if (!which(active)) continue;
      this.active.delete(key);
      if (active.timer) clearTimeout(active.timer);
      active.revert();
      count++;
      this.logger.info('drill-fault-reverted', {
        drill: active.fault.drill,
        kind: active.fault.kind,
        target: active.fault.target,
        why,
      });
    }
    return count;
  }

  revertDrill(drill: string, why: string): number {
    return this.revert((active) => active.fault.drill === drill, why);
  }

  revertDummy(monitor: string, why: string): number {
    return this.revert((a) => a.fault.kind === 'dummy-failure' && a.fault.target === monitor, why);
  }

  revertAll(why: string): number {
    return this.revert(() => true, why);
  }

  hasDummyFailure(monitor: string): boolean {
    return this.dummy.has(monitor);
  }

  get heartbeatsMuted(): boolean {
    return this.muted > 0;
  }

  private inject(fault: Fault): { revert: () => void; message: string } {
    switch (fault.kind) {
      case 'dummy-failure':
        this.dummy.add(fault.target);
        return {
          revert: () => this.dummy.delete(fault.target),
          message: `monitor ${fault.target} reports "${DUMMY_FAILURE_DETAIL}" here`,
        };
      case 'heartbeat-loss':
        this.muted++;
        return {
          revert: () => (this.muted = Math.max(0, this.muted - 1)),
          message: 'heartbeats muted on every link (none sent, none heard)',
        };
      case 'process-stop':
        return this.stopProcess(fault);
    }
  }

  private stopProcess(fault: Fault): { revert: () => void; message: string } {
    const [group, resource] = fault.target.split('/');
    if (!group || !resource) throw new Error(`process-stop needs GROUP/RESOURCE, not ${fault.target}`);
    const record = readPidFile(pidFilePath(this.stateDir, group, resource));
    if (!record)
      throw new Error(
        `no long-running process of ${group}/${resource} here (no pid file); is it an exec resource with a service?`,
      );
    const signal = fault.signal ?? 'SIGKILL';
    process.kill(record.pid, signal);
    return {
      // A killed process is the cluster's to restart; a stopped one is let go on again.
      revert: () => {
        if (signal !== 'SIGSTOP') return;
        try {
          process.kill(record.pid, 'SIGCONT');
        } catch {
          // Gone meanwhile (restarted by the recovery ladder): nothing to continue.
        }
      },
      message: `sent ${signal} to pid ${record.pid} (${group}/${resource})`,
    };
  }
}
