// Run as `ip netns exec NS node fip-in-netns.js ACTION CONFIG`: loads the config, then runs one action
// of the driver of the resource web/vip (fip, or an OCF agent such as IPaddr2) (start, stop, probe, kill) or one check of the monitor
// vip-here, inside the namespace, exactly as the agent would in its own. Prints one JSON line.
// `start-stop` starts and at once stops, and tells which of this process's arping descendants
// (announcements) outlived the stop by a second: arping's own deadline would keep one for two.
import { readdirSync, readFileSync } from 'node:fs';
import { memoryLogger } from '../../../src/agent/logger.js';
import { loadConfigText } from '../../../src/config/index.js';
import { createMonitorDriver } from '../../../src/monitors/registry.js';
import type { ResourceContext, ResourceDriver } from '../../../src/resources/driver.js';
import { isProcessRunning, readProcStat } from '../../../src/resources/proc.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { createResourceDriver } from '../../../src/resources/registry.js';

const [action = '', file = ''] = process.argv.slice(2);
const loaded = loadConfigText(readFileSync(file, 'utf8'), file);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const logger = memoryLogger();
let result: unknown;
if (action === 'check') {
  const monitor = loaded.model.monitors.find((candidate) => candidate.name === 'vip-here');
  if (!monitor) throw new Error('the config has no monitor vip-here');
  result = await createMonitorDriver(monitor).check({
    monitor,
    processes: new ProcessTable(),
    logger,
    signal: AbortSignal.timeout(monitor.timeoutMs),
  });
} else {
  const resource = loaded.model.groups[0]?.resources.find((candidate) => candidate.name === 'vip');
  if (!resource) throw new Error('the config has no resource web/vip');
  const driver = createResourceDriver(resource.type, { processes: new ProcessTable() });
  const ctx = {
    cluster: 'test',
    server: 's1',
    group: 'web',
    resource,
    event: 'START' as const,
    timeoutMs: 20_000,
    stateDir: '/nonexistent',
    logger,
  };
  if (action === 'start') result = await driver.start(ctx);
  else if (action === 'stop') result = await driver.stop(ctx);
  else if (action === 'probe') result = await driver.probe(ctx);
  else if (action === 'kill') result = await driver.kill(ctx);
  else if (action === 'start-stop') result = await startThenStop(driver, ctx);
  else throw new Error(`unknown action ${action}`);
}
const warnings = logger.records.filter((record) => record.level === 'warn').map((record) => record.event);
process.stdout.write(`${JSON.stringify({ result: result ?? null, warnings })}\n`);

/** Descendants of this process named arping that are still running. */
function arpingDescendants(): number[] {
  const descends = (pid: number, depth = 0): boolean => {
    const parent = readProcStat(pid)?.ppid;
    return (
      parent === process.pid ||
      (parent !== undefined && parent > 1 && depth < 3 && descends(parent, depth + 1))
    );
  };
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'arping' && descends(pid);
      } catch {
        return false;
      }
    });
}

/** Polls `value` every 20 ms until `done` says so or `withinMs` passed; the last value. */
async function pollUntil<T>(value: () => T, done: (v: T) => boolean, withinMs: number): Promise<T> {
  const until = performance.now() + withinMs;
  let v = value();
  while (!done(v) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    v = value();
  }
  return v;
}

async function startThenStop(driver: ResourceDriver, ctx: ResourceContext) {
  const started = await driver.start(ctx);
  // Still running after the start returned (their shell may not have exec'd arping yet).
  const announcing = (await pollUntil(arpingDescendants, (pids) => pids.length >= 2, 1000)).length;
  const stopped = await driver.stop(ctx);
  const running = () => arpingDescendants().filter((pid) => isProcessRunning(pid));
  const left = await pollUntil(running, (pids) => pids.length === 0, 1000);
  return { started, announcing, stopped, announcingAfterStop: left.length };
}
