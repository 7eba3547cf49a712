// Keeps a machine watchdog quiet while the agent runs: the Linux watchdog device (`cluster.watchdog`)
// gets a byte every interval from the engine's tick, and systemd's service watchdog (NOTIFY_SOCKET and
// WATCHDOG_USEC set by the unit's WatchdogSec=) a `WATCHDOG=1` through systemd-notify. If the agent
// stops running (SIGSTOP, a blocked event loop, a hung kernel call on the main thread), the feeding
// stops and the machine is reset: its groups cannot keep running while the others take them over.
// A clean stop writes the magic character "V" first, so closing the device does not reset.
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import type { Logger } from './logger.js';

export interface WatchdogOptions {
  /** The watchdog device; none: only systemd's watchdog, when the environment asks for it. */
  device?: string;
  /** How often to feed; systemd's is fed at least every half WATCHDOG_USEC. */
  intervalMs: number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export class Watchdog {
  private fd = -1;
  private lastFed = Number.NEGATIVE_INFINITY;
  private lastNotified = Number.NEGATIVE_INFINITY;
  private readonly notifyEveryMs: number | null;
  private notifying = false;
  private readonly now: () => number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? (() => performance.now());
    const env = (this.env = options.env ?? process.env);
    const usec = Number(env.WATCHDOG_USEC);
    const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === process.pid;
    this.notifyEveryMs =
      env.NOTIFY_SOCKET && Number.isFinite(usec) && usec > 0 && forUs ? Math.max(1, usec / 2000) : null;
  }

  /** Opens the device. Opening arms it: from now on it must be fed. */
  open(): void {
    if (!this.options.device) return;
    try {
      // Non-blocking: a stand-in FIFO with no reader fails at once instead of hanging the start.
      this.fd = openSync(this.options.device, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw new Error(
        `cannot open the watchdog ${this.options.device}: ${(error as Error).message}; check cluster.watchdog.device and that no other program (watchdog daemon) holds it`,
        { cause: error },
      );
    }
    this.options.logger.info('watchdog-armed', { device: this.options.device });
  }

  /** Called on every engine tick: feeds whichever watchdog is due. */
  feed(): void {
    const now = this.now();
    if (this.fd >= 0 && now - this.lastFed >= this.options.intervalMs) {
      this.lastFed = now;
      this.write('\0', 'watchdog-feed-failed');
    }
    if (this.notifyEveryMs !== null && !this.notifying && now - this.lastNotified >= this.notifyEveryMs) {
      this.lastNotified = now;
      this.notifying = true;
      // systemd takes the message from another pid only with NotifyAccess=all (see docs/vigild.md).
      execFile(
        'systemd-notify',
        [`--pid=${process.pid}`, 'WATCHDOG=1'],
        { timeout: 5000, env: this.env },
        (error) => {
          this.notifying = false;
          if (error)
            this.options.logger.once('systemd-notify', 'warn', 'systemd-watchdog-failed', {
              error: error.message,
            });
        },
      );
    }
  }

  /** A clean stop: the magic close disarms the device. */
  close(): void {
    if (this.fd < 0) return;
    this.write('V', 'watchdog-close-failed');
    closeSync(this.fd);
    this.fd = -1;
    this.options.logger.info('watchdog-disarmed', { device: this.options.device });
  }

  private write(data: string, event: string): void {
    try {
      writeSync(this.fd, data);
    } catch (error) {
      this.options.logger.once(event, 'error', event, {
        device: this.options.device,
        error: (error as Error).message,
      });
    }
  }
}
