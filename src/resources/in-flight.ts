// Actions (commands, start-up settling) still running per resource, so that fencing can kill them
// instead of waiting for them to finish.

interface Action {
  controller: AbortController;
  done: Promise<unknown>;
}

export class InFlightActions {
  private readonly byKey = new Map<string, Set<Action>>();

  /** Runs `action`; it must give up promptly (killing what it started) when `abort` fires. */
  async run<T>(key: string, action: (abort: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const done = action(controller.signal);
    const entry = { controller, done };
    const set = this.byKey.get(key) ?? new Set<Action>();
    set.add(entry);
    this.byKey.set(key, set);
    try {
      return await done;
    } finally {
      set.delete(entry);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    }
  }

  /** Aborts every action of `key` and waits, up to `waitMs`, for them to finish. */
  async abortAll(key: string, waitMs: number): Promise<void> {
    const actions = [...(this.byKey.get(key) ?? [])];
    if (actions.length === 0) return;
    for (const action of actions) action.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(actions.map((action) => action.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }
}
