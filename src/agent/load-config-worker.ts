// The worker side of load-config-isolated.ts: load and validate, post the plain result, exit.
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfigFile } from '../config/index.js';

const { file } = workerData as { file: string };
parentPort?.postMessage(await loadConfigFile(file));
