// What the two demo services share: their pid file in the demo's run directory while they run, and a
// clean exit on SIGTERM/SIGINT.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_DIR_ENV = 'VIGIL_DEMO_RUN_DIR';

/**
 * Writes `<run dir>/<name>-<server>-<pid>.pid` (so `vigil demo --crash SERVER` finds what runs "on"
 * that server) and removes it at exit; `stop` runs on SIGTERM or SIGINT.
 */
export function serviceLifecycle(name: string, stop: () => void): void {
  const runDir = demoRunDir();
  const server = process.env.VIGIL_SERVER ?? 'unknown';
  const pidFile = runDir ? join(runDir, `${name}-${server}-${process.pid}.pid`) : undefined;
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  process.on('exit', () => {
    if (pidFile) rmSync(pidFile, { force: true });
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      stop();
      process.exit(0);
    });
}

/** The demo's run directory, from the environment the demo config gives the services. */
export function demoRunDir(): string | undefined {
  return process.env[RUN_DIR_ENV];
}

/** The server this copy runs on, as the agent tells its resources. */
export function serverName(): string {
  return process.env.VIGIL_SERVER ?? 'an unknown server (VIGIL_SERVER is not set)';
}
