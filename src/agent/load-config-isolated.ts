// Validating the cluster file needs zod and the YAML parser: about 12 MB of memory that a running
// agent never uses again. The agent validates in a worker thread, whose heap goes away with it, and
// keeps only the plain result.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { LoadResult } from '../config/index.js';

export async function loadConfigIsolated(file: string): Promise<LoadResult> {
  const worker = new Worker(new URL('./load-config-worker.js', import.meta.url), { workerData: { file } });
  try {
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([e]) => Promise.reject(e)),
    ])) as [LoadResult];
    return message;
  } finally {
    await worker.terminate();
  }
}
