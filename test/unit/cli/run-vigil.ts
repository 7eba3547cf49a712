// Runs the real `vigil` entry point as a child process without blocking this process, so a control
// server in the test can answer it. The child is killed if it outlives its deadline.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../../../', import.meta.url));

export interface VigilRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningVigil {
  /** Resolves when the process has exited. */
  done: Promise<VigilRun>;
  stdout(): string;
  kill(signal?: NodeJS.Signals): void;
}

export function startVigil(
  args: string[],
  env: Record<string, string> = {},
  deadlineMs = 15_000,
): RunningVigil {
  const child = spawn(process.execPath, [`${repo}bin/vigil`, ...args], {
    cwd: repo,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', VIGIL_SOCKET: '/nonexistent/vigild.sock', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const done = new Promise<VigilRun>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { done, stdout: () => stdout, kill: (signal = 'SIGTERM') => child.kill(signal) };
}

export function vigil(args: string[], env: Record<string, string> = {}): Promise<VigilRun> {
  return startVigil(args, env).done;
}
