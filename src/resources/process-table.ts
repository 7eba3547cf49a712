// The long-running processes of exec resources on this server, by group/resource. The exec driver
// fills it; monitors read it. It lives in its own module so a monitor never imports a driver.
import type { ProcessExit } from './process-group.js';

export interface TrackedProcess {
  readonly pid: number;
  readonly pgid: number;
  /** Whether the process (the group leader) is still running. */
  isRunning(): boolean;
  /** How it exited, when known (only for processes this agent started itself). */
  exit(): ProcessExit | undefined;
  /** Settles when it exits; absent for a process found through its pid file after an agent restart. */
  readonly exited?: Promise<unknown>;
}

export type ProcessStatus =
  | { state: 'running'; pid: number; pgid: number }
  /** `exit` is undefined when the exit status is unknown (the process was not this agent's child). */
  | { state: 'exited'; pid: number; pgid: number; exit?: ProcessExit }
  | { state: 'none' };

/** Who keeps tracked process groups from outliving the agent (see deadman-reaper.ts). */
export interface GroupGuard {
  guard(pgid: number): void;
  release(pgid: number): void;
}

export class ProcessTable {
  private readonly entries = new Map<string, TrackedProcess>();
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(private readonly guard?: GroupGuard) {}

  track(group: string, resource: string, entry: TrackedProcess): void {
    const key = keyOf(group, resource);
    this.entries.set(key, entry);
    this.guard?.guard(entry.pgid);
    void entry.exited?.then(() => {
      this.guard?.release(entry.pgid);
      if (this.entries.get(key) === entry) this.notify(key);
    });
  }

  /** Forgets the process (before a deliberate stop, so its exit is not reported as a failure). */
  untrack(group: string, resource: string): void {
    const key = keyOf(group, resource);
    const entry = this.entries.get(key);
    // A process of our own stays guarded until it has exited; one taken back after a restart has
    // no exit to wait for.
    if (entry && !entry.exited) this.guard?.release(entry.pgid);
    this.entries.delete(key);
  }

  status(group: string, resource: string): ProcessStatus {
    const entry = this.entries.get(keyOf(group, resource));
    if (entry === undefined) return { state: 'none' };
    const { pid, pgid } = entry;
    if (entry.isRunning()) return { state: 'running', pid, pgid };
    const exit = entry.exit();
    return exit === undefined ? { state: 'exited', pid, pgid } : { state: 'exited', pid, pgid, exit };
  }

  /**
   * Calls `listener` whenever the tracked process of group/resource exits (whichever process is
   * tracked at that time). Returns the function that unsubscribes.
   */
  onExit(group: string, resource: string, listener: () => void): () => void {
    const key = keyOf(group, resource);
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  private notify(key: string): void {
    for (const listener of [...(this.listeners.get(key) ?? [])]) listener();
  }
}

function keyOf(group: string, resource: string): string {
  return `${group}/${resource}`;
}
