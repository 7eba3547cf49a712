// Shared by the resource and monitor tests: a scratch directory per test that is removed afterwards
// together with every process the test left behind, a resource context, and waiting with deadlines.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import type { ResourceEvent } from '../../../src/engine/io.js';
import type { ResourceModel } from '../../../src/engine/model.js';
import type { ResourceContext } from '../../../src/resources/driver.js';

export interface Scratch {
  dir: string;
  stateDir: string;
  /** A process group to SIGKILL when the test ends, whatever happened. */
  track(pgid: number): void;
}

/**
 * A temp dir for one test. When the test ends: SIGKILL every group tracked, every process group in
 * a pid file under the state dir and every pid in a `*.pid` file a script wrote; then remove the dir.
 */
export function scratch(t: TestContext): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const stateDir = join(dir, 'state');
  const groups = new Set<number>();
  t.after(() => {
    for (const file of filesUnder(dir)) {
      const pids = file.endsWith('.pid') ? [Number(readFileSync(file, 'utf8').trim())] : [];
      if (file.includes('/pids/') && file.endsWith('.json')) {
        try {
          groups.add(JSON.parse(readFileSync(file, 'utf8')).pgid);
        } catch {
          // not a complete pid record; nothing to kill through it
        }
      }
      for (const pid of pids) if (Number.isInteger(pid) && pid > 1) signal(pid, 'SIGKILL');
    }
    for (const pgid of groups) if (Number.isInteger(pgid) && pgid > 1) signal(-pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, stateDir, track: (pgid) => groups.add(pgid) };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

export function execResource(name: string, params: Record<string, unknown>): ResourceModel {
  return { name, type: 'exec', dependsOn: [], startTimeoutMs: 5000, stopTimeoutMs: 5000, params };
}

export function resourceContext(
  s: Scratch,
  resource: ResourceModel,
  overrides: { event?: ResourceEvent; timeoutMs?: number; group?: string } = {},
) {
  const logger = memoryLogger();
  const ctx: ResourceContext = {
    cluster: 'test-cluster',
    server: 's1',
    group: overrides.group ?? 'web',
    resource,
    event: overrides.event ?? 'START',
    timeoutMs: overrides.timeoutMs ?? 5000,
    stateDir: s.stateDir,
    logger,
  };
  return { ctx, logger };
}

/**
 * Whether `pid` is a live process. kill(pid, 0) alone is not enough: where PID 1 does not reap
 * orphans (some containers and VMs), a killed grandchild stays behind as a zombie and still "exists".
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until `condition()` holds; fails the test with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads a pid a script wrote, once the file is complete. */
export async function pidFrom(path: string): Promise<number> {
  await waitFor(() => existsSync(path) && /^[0-9]+\n$/.test(readFileSync(path, 'utf8')), `pid in ${path}`);
  return Number(readFileSync(path, 'utf8').trim());
}
