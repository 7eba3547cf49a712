// Running one check of a driver directly, the way the scheduler does, with a deadline.
import type { CheckResult, MonitorPeers } from '../../../src/monitors/driver.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { createMonitorDriver } from '../../../src/monitors/registry.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { monitorModel } from './helpers.js';

export function driverFor(
  type: string,
  params: Record<string, unknown>,
  timeoutMs = 5000,
  name = `${type}-test`,
) {
  const model = monitorModel(name, { type, params, intervalMs: 60_000, timeoutMs });
  const driver = createMonitorDriver(model);
  const processes = new ProcessTable();
  const logger = memoryLogger();
  return {
    model,
    driver,
    /** One check, aborted after `timeoutMs` as the scheduler would. */
    check(peers?: MonitorPeers, signal = AbortSignal.timeout(timeoutMs)): Promise<CheckResult> {
      return driver.check({ monitor: model, processes, logger, signal, peers });
    },
  };
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Checks until `accept` takes the result or the deadline passes; returns the last result. */
export async function checkUntil(
  check: () => Promise<CheckResult>,
  accept: (result: CheckResult) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<CheckResult> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (accept(result)) return result;
    if (performance.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(result)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
