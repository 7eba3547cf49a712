// disk: reads a block device or file, or writes a file and reads it back, in a child process (see
// disk-probe.ts) that is killed when the check runs out of time, so a hung disk never stalls the agent.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

const PROBE = fileURLToPath(new URL('./disk-probe.js', import.meta.url));

export function createDiskMonitor(monitor: MonitorModel): MonitorDriver {
  const { path, mode, size } = monitor.params as { path: string; mode?: string; size?: number };
  const args = [PROBE, path, mode ?? 'read', String(size ?? 4096)];
  return {
    check(ctx): Promise<CheckResult> {
      return new Promise((resolve) => {
        execFile(process.execPath, args, { signal: ctx.signal, killSignal: 'SIGKILL' }, (error, stdout) => {
          if (error && (error as NodeJS.ErrnoException).code === 'ABORT_ERR') {
            resolve({
              ok: false,
              detail: `${mode ?? 'read'} of ${path} did not finish in time (the disk may hang)`,
            });
            return;
          }
          try {
            const outcome = JSON.parse(stdout) as CheckResult;
            resolve({ ok: outcome.ok === true, detail: String(outcome.detail) });
          } catch {
            resolve({
              ok: false,
              detail: `the disk probe for ${path} failed: ${error?.message ?? 'no answer'}`,
            });
          }
        });
      });
    },
  };
}
