// Monitor models and a result collector for the monitor tests.
import { memoryLogger } from '../../../src/agent/logger.js';
import type { MonitorModel } from '../../../src/engine/model.js';
import type { CheckResult } from '../../../src/monitors/driver.js';
import { createMonitorDriver } from '../../../src/monitors/registry.js';
import { ProcessTable } from '../../../src/resources/process-table.js';

export function monitorModel(
  name: string,
  overrides: Partial<MonitorModel> & { intervalMs: number; timeoutMs: number },
): MonitorModel {
  return {
    name,
    type: 'fake',
    retries: 0,
    timing: 'always',
    recovery: { target: { group: 'web' }, reactivate: 0, failover: 0, final: 'none' },
    params: {},
    ...overrides,
  };
}

export interface Result {
  monitor: string;
  ok: boolean;
  detail: string;
  at: number;
  warning?: boolean;
}

export function collectResults() {
  const results: Result[] = [];
  const onResult = (monitor: string, ok: boolean, detail: string, warning?: boolean) =>
    results.push({ monitor, ok, detail, at: performance.now(), ...(warning ? { warning } : {}) });
  return { results, onResult };
}

/** Runs one check of a real driver for `type` with `params`, giving up after `timeoutMs` as the scheduler would. */
export async function checkOnce(
  type: string,
  params: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<CheckResult & { logs: string }> {
  const monitor = monitorModel(`test-${type}`, { type, intervalMs: 60_000, timeoutMs, params });
  const logger = memoryLogger();
  const driver = createMonitorDriver(monitor);
  const result = await driver.check({
    monitor,
    processes: new ProcessTable(),
    logger,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { ...result, logs: JSON.stringify(logger.records) };
}
