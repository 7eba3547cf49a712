// The demo runner with stand-in agents: starts three, waits for the cluster, prints what to try,
// refuses a second demo, stops everything and cleans up; and startAgent's stop deadline.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentArgs, startAgent } from '../../../src/demo/agent-process.js';
import { writeDemoCluster } from '../../../src/demo/cluster-config.js';
import { runDemo, stopDemo } from '../../../src/demo/run.js';
import { tempDir, waitFor } from '../control/helpers.js';
import { repo } from '../cli/run-vigil.js';

const fakeVigild = join(repo, 'dist', 'test', 'unit', 'demo', 'fake-vigild.js');

function collect() {
  const lines: string[] = [];
  return {
    lines,
    output: { out: (text: string) => lines.push(text), err: (text: string) => lines.push(`ERR ${text}`) },
  };
}

test('runDemo starts the agents, waits until ready, shows events, and cleans up when stopped', async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  const stop = new AbortController();
  t.after(() => stop.abort());
  const { lines, output } = collect();
  const running = runDemo({
    dir,
    output,
    signal: stop.signal,
    handleSignals: false,
    agent: { vigildPath: fakeVigild },
    readyTimeoutMs: 10_000,
  });
  await waitFor(
    'the cluster to be up',
    () => lines.some((line) => line.includes('the demo cluster is up')),
    15_000,
  );
  const text = lines.join('\n');
  assert.match(text, /group web runs on s1: http:\/\/127\.0\.0\.100:8080\//);
  assert.match(text, /vigil group move web --to s2 --wait --demo/);
  assert.match(text, /vigil demo --crash s1 +# s1 crashes \(agent and services killed\): web fails over/);
  assert.match(text, /kill -9 \d+ +# only the agent of s1 dies: its web-service dies with it/);
  assert.ok(existsSync(join(dir, 'demo.pid')));

  // A second demo finds the first one running.
  const second = collect();
  assert.equal(
    await runDemo({ dir, output: second.output, handleSignals: false, agent: { vigildPath: fakeVigild } }),
    1,
  );
  assert.match(
    second.lines.join('\n'),
    /the demo is already running: the agent of s1 answers on .*s1\/vigild\.sock/,
  );

  // A change in the status shows as a line.
  await waitFor('the watcher', () => lines.some((line) => line.includes('watching the cluster through s1')));
  const s1Pid = Number(await readFile(join(dir, 's1', 'agent.pid'), 'utf8'));
  process.kill(s1Pid, 'SIGUSR2');
  await waitFor('the event line', () =>
    lines.some((line) => /group web: online on s1 → online on s2$/.test(line)),
  );

  stop.abort();
  assert.equal(await running, 0);
  assert.equal(lines.at(-1), 'demo stopped');
  for (const server of ['s1', 's2', 's3']) {
    assert.equal(existsSync(join(dir, server, 'vigild.sock')), false, `${server} socket removed`);
    assert.equal(existsSync(join(dir, server, 'agent.pid')), false);
  }
  assert.equal(existsSync(join(dir, 'demo.pid')), false);
});

test("runDemo fails with the agents' output when they cannot start", async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  const { lines, output } = collect();
  const code = await runDemo({
    dir,
    output,
    handleSignals: false,
    agent: { vigildPath: join(dir, 'no-such-vigild.js') },
    readyTimeoutMs: 10_000,
  });
  assert.equal(code, 1);
  const text = lines.join('\n');
  assert.match(
    text,
    /ERR the demo cluster did not come up: the agent of s\d exited during startup \(exit code 1\)/,
  );
  assert.match(text, /last output of the agent of s\d \(.*agent\.out\):\n.*Cannot find module/);
});

test('startAgent passes the agent flags; stop kills an agent that ignores SIGTERM after the deadline', async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  const cluster = await writeDemoCluster(dir);
  const server = cluster.servers[1];
  assert.ok(server);
  const spec = {
    name: server.name,
    configFile: cluster.configFile,
    stateDir: server.stateDir,
    socket: server.socket,
    logFile: server.logFile,
    outputFile: server.outputFile,
    pidFile: server.pidFile,
  };
  assert.deepEqual(agentArgs(spec, '/x/bin/vigild'), [
    '/x/bin/vigild',
    '--config',
    cluster.configFile,
    '--node',
    's2',
    '--state-dir',
    server.stateDir,
    '--socket',
    server.socket,
    '--log',
    server.logFile,
  ]);
  const agent = startAgent(spec, { vigildPath: fakeVigild, env: { FAKE_VIGILD_IGNORE_TERM: '1' } });
  t.after(() => agent.stop(100));
  await waitFor('the agent to listen', () => existsSync(server.socket));
  await waitFor('its pid file', () => existsSync(server.pidFile));
  const exit = await agent.stop(300);
  assert.equal(exit.signal, 'SIGKILL');
  assert.equal(agent.exit?.signal, 'SIGKILL');
  assert.match(await readFile(server.logFile, 'utf8'), /fake-vigild-started/);
});

test('stopDemo stops agents left by a demo that was killed, and removes their sockets', async (t) => {
  const dir = await tempDir(t, 'vigil-demo-');
  const cluster = await writeDemoCluster(dir);
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
  t.after(() => Promise.all(agents.map((agent) => agent.stop(100))));
  for (const server of cluster.servers)
    await waitFor(`${server.name} pid file`, () => existsSync(server.pidFile));
  const { lines, output } = collect();
  assert.equal(await stopDemo(output, dir, 'fake-vigild'), 0);
  assert.match(lines.join('\n'), /stopped the agent of s1 \(pid \d+\), the agent of s2 .*, the agent of s3/);
  for (const agent of agents) assert.notEqual(agent.exit, null, `${agent.name} stopped`);
  for (const server of cluster.servers) assert.equal(existsSync(server.socket), false);
  const again = collect();
  await stopDemo(again.output, dir, 'fake-vigild');
  assert.match(again.lines.join('\n'), /the demo was not running/);
});
