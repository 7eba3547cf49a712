// The quick start: `vigil demo --headless` brings up three real agents, `vigil status --demo` shows
// the cluster from another process, and Ctrl-C stops everything it started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusSnapshot } from '../../../src/control/index.js';
import { repoRoot } from '../../../src/demo/repo.js';
import { isProcessRunning } from '../../../src/resources/proc.js';
import { runCli, waitFor } from './harness.js';

test('vigil demo --headless, then vigil status --demo shows the cluster; Ctrl-C cleans up', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'vigil-demo-'));
  const env = { ...process.env, XDG_CACHE_HOME: cache };
  const demo = spawn(process.execPath, [join(repoRoot(), 'bin', 'vigil'), 'demo', '--headless'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  demo.stdout.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
  t.after(async () => {
    demo.kill('SIGKILL');
    await runCli(['demo', '--stop'], 15_000, env);
    rmSync(cache, { recursive: true, force: true });
  });

  await waitFor('the demo to say it is up', () => output.includes('the demo cluster is up'), 30_000);
  const status = await runCli(['status', '--demo', '--json'], 15_000, env);
  assert.equal(status.code, 0, status.stderr);
  const snapshot = JSON.parse(status.stdout) as StatusSnapshot;
  assert.deepEqual(
    snapshot.servers.map((s) => s.state),
    ['up', 'up', 'up'],
  );
  assert.deepEqual(
    snapshot.groups.map((g) => [g.name, g.state]),
    [
      ['web', 'online'],
      ['batch', 'online'],
    ],
  );
  const answer = await fetch('http://127.0.0.100:8080/');
  assert.equal(answer.status, 200);

  const agentPids = [...output.matchAll(/s\d \(agent pid (\d+)\)/g)].map((m) => Number(m[1]));
  assert.equal(agentPids.length, 3, output);
  demo.kill('SIGINT');
  assert.equal(await exited, 0, output);
  for (const pid of agentPids) assert.equal(isProcessRunning(pid), false, `agent ${pid} stopped`);
  await assert.rejects(
    fetch('http://127.0.0.100:8080/', { signal: AbortSignal.timeout(1000) }),
    'web service stopped',
  );
});
