// The script spawner: a small node process that starts commands for the agent (see
// script-spawner.ts). Node's spawn waits until the child has exec'd, and the fork behind it costs
// in proportion to the parent's memory; paying that here keeps the agent's event loop free.
// When the agent goes away (end of stdin, or stdout closed), every group still running dies with it.
import { createInterface } from 'node:readline';
import { ProcessGroup, signalGroup } from './process-group.js';
import type { RunRequest, SpawnerAnswer } from './spawner-protocol.js';

// What `ps` and `top` show (comm and command line), rather than a second "node".
process.title = 'vigild-spawner';

/** Groups whose leader has not exited yet. */
const running = new Map<number, ProcessGroup>();

/** The environment for each distinct set of additions (one per monitor): built once, not per start. */
const environments = new Map<string, NodeJS.ProcessEnv>();
const MAX_ENVIRONMENTS = 10_000;

function environment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const key = extra === undefined ? '' : JSON.stringify(extra);
  let env = environments.get(key);
  if (env === undefined) {
    if (environments.size >= MAX_ENVIRONMENTS) environments.clear();
    env = { ...process.env, ...extra };
    environments.set(key, env);
  }
  return env;
}

function answer(message: SpawnerAnswer): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function run(request: RunRequest): void {
  let group: ProcessGroup;
  try {
    group = ProcessGroup.spawn(request.command, { env: environment(request.env) });
  } catch (error) {
    answer({ id: request.id, error: (error as Error).message });
    return;
  }
  running.set(request.id, group);
  answer({ id: request.id, pid: group.pid });
  void group.exited.then((exit) => {
    running.delete(request.id);
    answer({ id: request.id, exit, lines: group.lastLines() });
  });
}

function agentGone(): never {
  for (const group of running.values()) signalGroup(group.pid, 'SIGKILL');
  process.exit(0);
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let request: RunRequest;
  try {
    request = JSON.parse(line) as RunRequest;
  } catch {
    process.stderr.write(`spawner: not a request: ${line.slice(0, 200)}\n`);
    return;
  }
  run(request);
});
lines.on('close', agentGone);
process.stdout.on('error', agentGone); // EPIPE: the agent is gone
process.on('SIGTERM', agentGone);
process.on('SIGINT', agentGone);
