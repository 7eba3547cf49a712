// A worker thread of a sweep: runs batches of schedules with the real engine and posts back summaries.
import { parentPort } from 'node:worker_threads';
import { realEngine } from './engine-factory.js';
import { runTask, type SweepTask } from './sweep.js';

parentPort?.on('message', (batch: SweepTask[]) => {
  parentPort?.postMessage(batch.map((task) => runTask(task, realEngine)));
});
