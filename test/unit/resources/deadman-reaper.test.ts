// A service must die with its agent. A stand-in agent (a child node process) starts long-running
// exec resources with a guarded process table; kill -9 of the stand-in must take every process of
// those groups with it, while a group released before the kill survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupMembers } from '../../../src/resources/proc.js';
import { scratch, waitFor } from './helpers.js';

const distRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

const standInAgent = `
import { createExecDriver } from '${distRoot}/src/resources/exec.js';
import { ProcessTable } from '${distRoot}/src/resources/process-table.js';
import { DeadmanReaper } from '${distRoot}/src/resources/deadman-reaper.js';
import { memoryLogger } from '${distRoot}/src/agent/logger.js';
const [stateDir] = process.argv.slice(1);
const reaper = new DeadmanReaper();
const processes = new ProcessTable(reaper);
const driver = createExecDriver({ processes });
const ctx = (resource, start) => ({ cluster: 'c', server: 's1', group: 'g', event: 'START', timeoutMs: 5000, stateDir, logger: memoryLogger(),
  resource: { name: resource, type: 'exec', dependsOn: [], startTimeoutMs: 5000, stopTimeoutMs: 5000, params: { start, longRunning: true } } });
const guarded = await driver.start(ctx('guarded', 'sleep 1000 & exec sleep 1001'));
const released = await driver.start(ctx('released', 'exec sleep 1002'));
const releasedPgid = processes.status('g', 'released').pgid;
reaper.release(releasedPgid);
console.log(JSON.stringify({ guarded: processes.status('g', 'guarded').pgid, released: releasedPgid, ok: guarded.ok && released.ok }));
setInterval(() => {}, 1000);
`;

test('kill -9 of the agent kills every guarded process group; released groups live on', async (t) => {
  const s = scratch(t);
  const agent = spawn(process.execPath, ['--input-type=module', '-e', standInAgent, s.stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => agent.kill('SIGKILL'));
  let out = '';
  agent.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('\n'), 'the stand-in agent to start its services');
  const started = JSON.parse(out) as { guarded: number; released: number; ok: boolean };
  s.track(started.guarded);
  s.track(started.released);
  assert.equal(started.ok, true);
  assert.equal(groupMembers(started.guarded).length, 2, 'both processes of the guarded group run');
  agent.kill('SIGKILL');
  await waitFor(() => groupMembers(started.guarded).length === 0, 'the guarded group to die with its agent');
  assert.equal(groupMembers(started.released).length, 1, 'the released group was left alone');
});
