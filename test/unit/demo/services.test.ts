// The demo services: the web service answers with its server's name and refuses to start twice;
// both keep a pid file while they run and stop cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir, waitFor } from '../control/helpers.js';
import { repo } from '../cli/run-vigil.js';

function startService(t: TestContext, name: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(repo, 'dist', 'src', 'demo', `${name}.js`)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(() => child.kill('SIGKILL'));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

test('web-service answers 200 with the server name; a second copy on the address fails loudly', async (t) => {
  const run = await tempDir(t);
  const web = startService(t, 'web-service', {
    VIGIL_SERVER: 's2',
    VIGIL_DEMO_RUN_DIR: run,
    VIGIL_DEMO_WEB_LISTEN: '127.0.0.1:0',
  });
  const url = await waitFor(
    'the web service to listen',
    () => /listening on (http:\S+)/.exec(web.stdout())?.[1],
  );
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello from s2\n');
  const pidFiles = await readdir(run);
  assert.deepEqual(pidFiles, [`web-service-s2-${web.child.pid}.pid`]);

  const port = new URL(url).port;
  const second = startService(t, 'web-service', {
    VIGIL_SERVER: 's3',
    VIGIL_DEMO_RUN_DIR: run,
    VIGIL_DEMO_WEB_LISTEN: `127.0.0.1:${port}`,
  });
  assert.equal(await second.exited, 1);
  assert.match(
    second.stderr(),
    /web-service on s3: cannot listen on 127\.0\.0\.1:\d+: the address is already in use: is another copy running\?/,
  );

  web.child.kill('SIGTERM');
  assert.equal(await web.exited, 0);
  assert.deepEqual(await readdir(run), []);
});

test('batch-job ticks its counter, carries on from the last count, and stops cleanly', async (t) => {
  const run = await tempDir(t);
  const job = startService(t, 'batch-job', { VIGIL_SERVER: 's3', VIGIL_DEMO_RUN_DIR: run });
  const counter = join(run, 'batch.count');
  await waitFor('the first tick', () => existsSync(counter), 5000);
  assert.match(await readFile(counter, 'utf8'), /^1 s3 /);
  job.child.kill('SIGTERM');
  assert.equal(await job.exited, 0);
  const next = startService(t, 'batch-job', { VIGIL_SERVER: 's2', VIGIL_DEMO_RUN_DIR: run });
  await waitFor('the count to go on', () => /counting from 1/.test(next.stdout()));
  next.child.kill('SIGTERM');
  assert.equal(await next.exited, 0);
  assert.deepEqual(
    (await readdir(run)).filter((name) => name.endsWith('.pid')),
    [],
  );
});
