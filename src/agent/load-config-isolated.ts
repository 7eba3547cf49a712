// Validating the cluster file needs zod and the YAML parser: about 12 MB of memory that a running
// agent never uses again. The agent validates in a short-lived child process and keeps only the
// plain result. A worker thread is not enough: after it ends, the pages its start-up touched (node's
// own code, malloc arenas) stay in the agent, about 8 MB of RSS for the agent's whole life.
import { fork } from 'node:child_process';
import type { LoadResult } from '../config/index.js';

/** Generous: validation takes well under a second; a loader that hangs must not hang the start. */
const LOAD_DEADLINE_MS = 30_000;

export function loadConfigIsolated(file: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // 'advanced' serialisation is the structured clone a worker's postMessage used: Maps, Dates and
    // undefined survive the trip, unlike JSON.
    const child = fork(new URL('./load-config-child.js', import.meta.url), [file], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let result: LoadResult | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), LOAD_DEADLINE_MS);
    child.once('message', (message) => {
      result = message as LoadResult;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the config loader: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else
        reject(
          new Error(
            `the config loader for ${file} ended without a result (${signal ?? `exit code ${code}`})` +
              (stderr.trim() ? `: ${stderr.trim()}` : ''),
          ),
        );
    });
  });
}
