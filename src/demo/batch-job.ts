// The demo's batch job: a long-running process that ticks a counter in the run directory once a
// second, so an operator can watch it carry on from another server after a failover.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoRunDir, serverName, serviceLifecycle } from './service-lifecycle.js';

const server = serverName();
const runDir = demoRunDir();
const counterFile = runDir ? join(runDir, 'batch.count') : undefined;

function lastCount(): number {
  if (!counterFile) return 0;
  try {
    return Number.parseInt(readFileSync(counterFile, 'utf8'), 10) || 0;
  } catch {
    return 0;
  }
}

let count = lastCount();
const timer = setInterval(() => {
  count++;
  if (counterFile) writeFileSync(counterFile, `${count} ${server} ${new Date().toISOString()}\n`);
}, 1000);
serviceLifecycle('batch-job', () => clearInterval(timer));
process.stdout.write(`batch-job on ${server}: counting from ${count}\n`);
