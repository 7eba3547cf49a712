// The script spawner with real processes: commands run in a session of their own started by the
// spawner (not by the test process), exit code, signal, output and environment come back, timeouts
// and aborts kill the whole group, a dead or stuck spawner fails its checks promptly and is
// replaced, and no group outlives its agent — even when the spawner is stopped at that moment.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groupMembers } from '../../../src/resources/proc.js';
import type { CommandResult } from '../../../src/resources/process-group.js';
import { ScriptSpawner, type ScriptSpawnerOptions } from '../../../src/resources/script-spawner.js';
import { isAlive, pidFrom, scratch, waitFor } from './helpers.js';

const distRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

function newSpawner(t: TestContext, options: ScriptSpawnerOptions = {}): ScriptSpawner {
  const spawner = new ScriptSpawner(options);
  t.after(() => {
    const pid = spawner.pid;
    spawner.close();
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  return spawner;
}

function run(
  spawner: ScriptSpawner,
  command: string,
  extra: Partial<Parameters<ScriptSpawner['run']>[1]> = {},
) {
  return spawner.run(command, { timeoutMs: 5000, graceMs: 500, ...extra });
}

/** "KEY=value" lines of the output, as an object. */
function fields(result: CommandResult): Record<string, string> {
  return Object.fromEntries(result.lastLines.map((line) => line.split('=', 2) as [string, string]));
}

/** Prints the parent, process group and session of the shell (fields 4–6 of /proc/PID/stat). */
const whoAmI =
  'set -- $(sed "s/.*) //" /proc/$$/stat); echo "ppid=$2"; echo "pgid=$3"; echo "sid=$4"; echo "monitor=$VIGIL_MONITOR"';

test('the spawner starts a command in a session of its own and reports its exit code, output and env', async (t) => {
  const spawner = newSpawner(t);
  const result = await run(spawner, `${whoAmI}; exit 3`, { env: { VIGIL_MONITOR: 'm-1' } });
  assert.equal(result.error, undefined);
  assert.equal(result.code, 3);
  assert.equal(result.signal, null);
  const seen = fields(result);
  assert.equal(Number(seen.ppid), spawner.pid, 'started by the spawner, not by the agent');
  assert.notEqual(spawner.pid, process.pid);
  assert.equal(Number(seen.pgid), result.pid);
  assert.equal(Number(seen.sid), result.pid, 'setsid: the shell leads a new session');
  assert.equal(seen.monitor, 'm-1');
});

test('the spawner reports the signal that ended a command', async (t) => {
  const result = await run(newSpawner(t), 'echo bye; kill -USR1 $$');
  assert.deepEqual([result.code, result.signal, result.lastLines], [null, 'SIGUSR1', ['bye']]);
});

test('a timeout SIGTERMs the group and SIGKILLs what ignores it after the grace time', async (t) => {
  const s = scratch(t);
  const pidFile = join(s.dir, 'child.pid');
  const spawner = newSpawner(t);
  const result = await run(
    spawner,
    `trap "" TERM; sleep 30 & echo $! > ${pidFile}; echo waiting; while :; do sleep 0.05; done`,
    { timeoutMs: 300, graceMs: 200 },
  );
  s.track(result.pid ?? 0);
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, 'SIGKILL', 'SIGTERM was ignored, so SIGKILL ended it');
  assert.deepEqual(result.lastLines, ['waiting']);
  assert.equal(groupMembers(result.pid ?? 0).length, 0, 'nothing of the group is left');
  assert.equal(isAlive(await pidFrom(pidFile)), false);
});

test('an abort kills the whole group at once', async (t) => {
  const s = scratch(t);
  const pidFile = join(s.dir, 'child.pid');
  const abort = new AbortController();
  const running = run(newSpawner(t), `sleep 30 & echo $! > ${pidFile}; wait`, { abort: abort.signal });
  const child = await pidFrom(pidFile);
  abort.abort();
  const result = await running;
  assert.equal(result.aborted, true);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(isAlive(child), false);
});

test('when the spawner dies, its checks fail at once, their groups are killed, and it is replaced', async (t) => {
  const s = scratch(t);
  const pidFile = join(s.dir, 'child.pid');
  const spawner = newSpawner(t);
  const running = run(spawner, `sleep 30 & echo $! > ${pidFile}; exec sleep 31`);
  const child = await pidFrom(pidFile);
  const first = spawner.pid ?? 0;
  process.kill(first, 'SIGKILL');
  const result = await running;
  s.track(result.pid ?? 0);
  assert.match(
    result.error ?? '',
    /^was killed with its process group because the script spawner \(pid \d+\) was killed by SIGKILL$/,
  );
  assert.equal(isAlive(child), false, 'the orphaned group was killed');

  // Right after, the agent runs commands itself; a second later a new spawner takes over.
  const meanwhile = await run(spawner, whoAmI);
  assert.equal(Number(fields(meanwhile).ppid), process.pid);
  const deadline = performance.now() + 5000;
  let later = meanwhile;
  while (Number(fields(later).ppid) === process.pid && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    later = await run(spawner, whoAmI);
  }
  assert.equal(later.code, 0);
  assert.equal(Number(fields(later).ppid), spawner.pid, 'a new spawner started it');
  assert.notEqual(spawner.pid, first);
});

test('a spawner that stops answering is killed and its checks fail instead of hanging', async (t) => {
  const spawner = newSpawner(t, { stuckAfterMs: 200 });
  assert.equal((await run(spawner, 'true')).code, 0);
  const stopped = spawner.pid ?? 0;
  process.kill(stopped, 'SIGSTOP');
  const result = await run(spawner, 'true', { timeoutMs: 200, graceMs: 100 });
  assert.match(
    result.error ?? '',
    /^was not started: the script spawner \(pid \d+\) did not answer within \d+ ms and was killed$/,
  );
  await waitFor(() => !isAlive(stopped), 'the stuck spawner to be gone');
});

const standInAgent = `
import { ScriptSpawner } from '${distRoot}/src/resources/script-spawner.js';
import { DeadmanReaper } from '${distRoot}/src/resources/deadman-reaper.js';
const reaper = new DeadmanReaper();
const guard = {
  guard(pgid) { reaper.guard(pgid); console.log(JSON.stringify({ pgid, spawner: spawner.pid })); },
  release(pgid) { reaper.release(pgid); },
};
const spawner = new ScriptSpawner({ guard });
void spawner.run('sleep 1000 & exec sleep 1001', { timeoutMs: 600000, graceMs: 500 });
setInterval(() => {}, 1000);
`;

/** A stand-in agent (a child node process) running one long check through its spawner. */
async function agentWithCheck(t: TestContext) {
  const s = scratch(t);
  const agent = spawn(process.execPath, ['--input-type=module', '-e', standInAgent], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  agent.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('\n'), 'the stand-in agent to start its check');
  const started = JSON.parse(out) as { pgid: number; spawner: number };
  s.track(started.pgid);
  t.after(() => {
    for (const pid of [agent.pid ?? 0, started.spawner]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  await waitFor(() => groupMembers(started.pgid).length === 2, 'both processes of the check');
  return { agent, ...started };
}

test('kill -9 of the agent: the spawner kills the checks still running and exits', async (t) => {
  const { agent, pgid, spawner } = await agentWithCheck(t);
  agent.kill('SIGKILL');
  await waitFor(() => groupMembers(pgid).length === 0, 'the check to die with its agent');
  await waitFor(() => !isAlive(spawner), 'the spawner to exit');
});

test('kill -9 of the agent while its spawner is stopped: the dead-man reaper kills the checks', async (t) => {
  const { agent, pgid, spawner } = await agentWithCheck(t);
  process.kill(spawner, 'SIGSTOP');
  agent.kill('SIGKILL');
  await waitFor(() => groupMembers(pgid).length === 0, 'the reaper to kill the check');
});
