// Run as `ip netns exec NS node fip-in-netns.js ACTION CONFIG`: loads the config, then runs one action
// of the driver of the resource web/vip (fip, or an OCF agent such as IPaddr2) (start, stop, probe, kill) or one check of the monitor
// vip-here, inside the namespace, exactly as the agent would in its own. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { memoryLogger } from '../../../src/agent/logger.js';
import { loadConfigText } from '../../../src/config/index.js';
import { createMonitorDriver } from '../../../src/monitors/registry.js';
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
  else throw new Error(`unknown action ${action}`);
}
const warnings = logger.records.filter((record) => record.level === 'warn').map((record) => record.event);
process.stdout.write(`${JSON.stringify({ result: result ?? null, warnings })}\n`);
