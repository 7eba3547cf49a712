// Reboot and poweroff, the fence actions that end every process on the server: the engine only names
// them (a lost partition with `partition.action`, a monitor's final action); the agent runs the
// configured command (`partition.commands`, by default the forced systemctl commands) with a timeout.
// One command at a time: the engine may repeat the action while it waits, and a second reboot
// started while the first is under way would only get in its way.
import { describeExit, runCommand } from '../resources/process-group.js';
import type { Logger } from './logger.js';

/** How long a reboot or poweroff command may take before it counts as failed. */
export const DRASTIC_TIMEOUT_MS = 30_000;

export type DrasticAction = 'reboot' | 'poweroff';

export class DrasticActions {
  private running: Promise<void> | null = null;

  constructor(
    private readonly commands: Record<DrasticAction, string>,
    private readonly logger: Logger,
  ) {}

  /** Starts the action's command unless one is already running; resolves when it has ended. */
  run(action: DrasticAction, reason: string): Promise<void> {
    if (this.running) return this.running;
    const command = this.commands[action];
    this.logger.error('drastic-action', { action, reason, command });
    this.running = runCommand(command, { timeoutMs: DRASTIC_TIMEOUT_MS, graceMs: 1000 })
      .then((result) => {
        // A reboot that returns at all has not happened yet (or failed): say so either way.
        const fields = { action, command, outcome: describeExit(result), lastLines: result.lastLines };
        if (result.code === 0) this.logger.warn('drastic-action-returned', fields);
        else this.logger.error('drastic-action-failed', fields);
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
