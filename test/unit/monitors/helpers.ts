// Monitor models and a result collector for the monitor tests.
import type { MonitorModel } from '../../../src/engine/model.js';

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
}

export function collectResults() {
  const results: Result[] = [];
  const onResult = (monitor: string, ok: boolean, detail: string) =>
    results.push({ monitor, ok, detail, at: performance.now() });
  return { results, onResult };
}
