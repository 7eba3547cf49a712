// The audit log: every state-changing control call (command, alerts.ack, monitor.report), on any transport, as one
// JSON line in STATE_DIR/audit.log (mode 0600) — who, from where, what, and how it ended.
import { appendFileSync, chmodSync, closeSync, openSync } from 'node:fs';
import type { Logger } from '../agent/logger.js';

export interface AuditEntry {
  /** ISO time the call finished. */
  at: string;
  /** The operator's name (SSH) or `local:<uid>` (unix socket). */
  operator: string;
  /** `ip:port` of an SSH client, `local` for the unix socket. */
  source: string;
  method: string;
  params: unknown;
  ok: boolean;
  /** The call's result when ok, else the error `{ code, message }`. */
  result: unknown;
}

/** The calls that change state and are therefore audited. */
export const AUDITED_METHODS: ReadonlySet<string> = new Set([
  'command',
  'alerts.ack',
  'monitor.report',
  'monitor.dummy-failure',
  'drill.start',
  'drill.stop',
]);

export class AuditLog {
  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {
    // Create it 0600 up front; appendFileSync's mode only applies when it creates the file.
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }

  /** Appends one entry; a failed write is logged (once) and never fails the call itself. */
  record(entry: AuditEntry): void {
    try {
      appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (error) {
      this.logger.once('audit-write-failed', 'error', 'audit-write-failed', {
        path: this.path,
        error: (error as Error).message,
      });
    }
  }
}
