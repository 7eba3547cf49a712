// `vigil demo --crash` and `--restart` with stand-in agents and a real demo service.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAgent } from '../../../src/demo/agent-process.js';
import { writeDemoCluster } from '../../../src/demo/cluster-config.js';
import { crashServer, restartServer } from '../../../src/demo/crash-restart.js';
import { writePidFile } from '../../../src/demo/pid-files.js';
import { stopDemo } from '../../../src/demo/run.js';
import { repo } from '../cli/run-vigil.js';
import { tempDir, waitFor } from '../control/helpers.js';

const fakeVigild = join(repo, 'dist', 'test', 'unit', 'demo', 'fake-vigild.js');

function collect() {
  const lines: string[] = [];
  return {
    lines,
    output: { out: (text: string) => lines.push(text), err: (text: string) => lines.push(`ERR ${text}`) },
  };
}

test('crash kills the agent and the services of one server; restart brings the agent back', async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  const cluster = await writeDemoCluster(dir);
  // This test process stands in for the demo runner.
  await writePidFile(cluster.runnerPidFile, process.pid);
  const agents = cluster.servers.map((server) =>
    startAgent(
      {
        name: server.name,
        configFile: cluster.configFile,
        stateDir: server.stateDir,
        socket: server.socket,
        logFile: server.logFile,
        outputFile: server.outputFile,
        pidFile: server.pidFile,
      },
      { vigildPath: fakeVigild },
    ),
  );
  t.after(() => stopDemo(collect().output, dir, 'fake-vigild'));
  t.after(() => Promise.all(agents.map((agent) => agent.stop(100))));
  for (const server of cluster.servers)
    await waitFor(`${server.name} socket`, () => existsSync(server.socket));
  const service = spawn(process.execPath, [join(repo, 'dist', 'src', 'demo', 'web-service.js')], {
    env: {
      ...process.env,
      VIGIL_SERVER: 's1',
      VIGIL_DEMO_RUN_DIR: cluster.runDir,
      VIGIL_DEMO_WEB_LISTEN: '127.0.0.1:0',
    },
    stdio: 'ignore',
  });
  t.after(() => service.kill('SIGKILL'));
  const serviceExit = new Promise((resolve) => service.once('exit', (_code, signal) => resolve(signal)));
  await waitFor('the service pid file', () =>
    existsSync(join(cluster.runDir, `web-service-s1-${service.pid}.pid`)),
  );

  const crash = collect();
  assert.equal(await crashServer(crash.output, 's1', dir, 'fake-vigild'), 0);
  assert.match(
    crash.lines.join('\n'),
    /^s1 crashed: killed its agent \(pid \d+\) and its services \(pid \d+\); bring it back with: vigil demo --restart s1$/,
  );
  assert.equal((await agents[0]?.exited)?.signal, 'SIGKILL');
  assert.equal(await serviceExit, 'SIGKILL');
  assert.equal(agents[1]?.exit, null, 's2 is untouched');
  assert.deepEqual(await readdir(cluster.runDir), []);

  const again = collect();
  assert.equal(await crashServer(again.output, 's1', dir, 'fake-vigild'), 1);
  assert.match(again.lines.join('\n'), /the agent of s1 is not running/);

  const restart = collect();
  assert.equal(await restartServer(restart.output, 's1', dir, { vigildPath: fakeVigild }), 0);
  assert.match(restart.lines.join('\n'), /^the agent of s1 is back \(pid \d+\)$/);
  const twice = collect();
  assert.equal(await restartServer(twice.output, 's1', dir, { vigildPath: fakeVigild }), 1);
  assert.match(twice.lines.join('\n'), /the agent of s1 is running already/);

  const stop = collect();
  await stopDemo(stop.output, dir, 'fake-vigild');
  assert.match(stop.lines.join('\n'), /the agent of s1 \(pid \d+\)/);
  assert.equal(existsSync(cluster.servers[0]?.socket as string), false);
});

test('crash and restart name the servers when given an unknown one; restart needs a running demo', async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  await writeDemoCluster(dir);
  const unknown = collect();
  assert.equal(await crashServer(unknown.output, 's9', dir), 1);
  assert.match(unknown.lines.join('\n'), /no demo server s9; the servers are s1, s2, s3/);
  const notRunning = collect();
  assert.equal(await restartServer(notRunning.output, 's1', dir), 1);
  assert.match(notRunning.lines.join('\n'), /the demo is not running; start it with: vigil demo/);
});
