// A real vigild with a custom monitor: its script is started by the agent's script spawner (a child
// of the agent, not the agent itself), and neither a clean stop nor kill -9 of the agent leaves the
// running check or the spawner behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { startAgent } from '../../../src/demo/agent-process.js';
import { groupMembers, readProcStat } from '../../../src/resources/proc.js';
import { isAlive, pidFrom, scratch, waitFor } from '../../unit/resources/helpers.js';

/** Ports 47810 … 47819 belong to this file. */
const HEARTBEAT_PORT = 47810;

/** One agent whose custom monitor's check runs for 30 s; returns it with the pids the check wrote. */
async function agentWithRunningCheck(t: TestContext) {
  const s = scratch(t);
  const keyFile = join(s.dir, 'cluster.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const check = [
    `echo $PPID > ${s.dir}/spawner.pid`,
    `echo $$ > ${s.dir}/leader.pid`,
    `sleep 30 & echo $! > ${s.dir}/child.pid`,
    'wait',
  ].join('; ');
  const config = {
    cluster: { name: 'spawn', keyFile, heartbeatPort: HEARTBEAT_PORT, peerPort: HEARTBEAT_PORT + 1 },
    servers: [{ name: 's1', lan: ['127.0.0.1'] }],
    groups: [{ name: 'idle', resources: [{ name: 'noop', type: 'exec', start: 'true' }] }],
    monitors: [
      {
        name: 'slow-check',
        type: 'custom',
        script: check,
        interval: '120s',
        timeout: '60s',
        timing: 'always',
        recovery: { target: 'idle' },
      },
    ],
  };
  const configFile = join(s.dir, 'cluster.yaml');
  writeFileSync(configFile, stringify(config));
  const agent = startAgent(
    {
      name: 's1',
      configFile,
      stateDir: join(s.dir, 'state'),
      socket: join(s.dir, 's1.sock'),
      logFile: join(s.dir, 's1.log'),
      outputFile: join(s.dir, 's1.out'),
    },
    { extraArgs: ['--no-ssh'] },
  );
  t.after(async () => {
    await agent.stop(5000);
  });
  const output = () => readFileSync(join(s.dir, 's1.out'), 'utf8');
  // The agent loads its config, starts its monitors, and the first check runs at once.
  const started = () => existsSync(join(s.dir, 'child.pid'));
  await waitFor(() => started() || !isAlive(agent.pid), 'the first check to start', 20_000);
  assert.ok(started(), `the agent exited: ${output()}`);
  const spawner = await pidFrom(join(s.dir, 'spawner.pid'));
  const leader = await pidFrom(join(s.dir, 'leader.pid'));
  const child = await pidFrom(join(s.dir, 'child.pid'));
  s.track(leader);
  return { agent, spawner, leader, child };
}

test('vigild starts custom checks from its spawner; a clean stop ends the check and the spawner', async (t) => {
  const { agent, spawner, leader, child } = await agentWithRunningCheck(t);
  assert.notEqual(spawner, agent.pid);
  assert.equal(readProcStat(spawner)?.ppid, agent.pid, 'the spawner is a child of the agent');
  assert.equal(readFileSync(`/proc/${spawner}/comm`, 'utf8'), 'vigild-spawner\n');
  assert.equal(readProcStat(leader)?.pgid, leader, 'the check leads its own process group');

  const exit = await agent.stop(10_000);
  assert.equal(exit.code, 0);
  await waitFor(() => groupMembers(leader).length === 0 && !isAlive(child), 'the check to be killed');
  await waitFor(() => !isAlive(spawner), 'the spawner to exit');
});

test('kill -9 of vigild kills its running check, and its spawner exits', async (t) => {
  const { agent, spawner, leader, child } = await agentWithRunningCheck(t);
  agent.child.kill('SIGKILL');
  await agent.exited;
  await waitFor(
    () => groupMembers(leader).length === 0 && !isAlive(child),
    'the check to die with its agent',
  );
  await waitFor(() => !isAlive(spawner), 'the spawner to exit');
});
