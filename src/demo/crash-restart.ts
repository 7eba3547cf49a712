// `vigil demo --crash SERVER` and `--restart SERVER`: what a server failure looks like. A crash kills
// the server's agent and the demo services running "on" it at once, as a power cut would; a restart
// brings its agent back.
import { basename } from 'node:path';
import { answers } from '../control/server.js';
import { demoDir } from '../control/paths.js';
import { agentCommandLine, startAgent, type AgentSpec, type StartAgentOptions } from './agent-process.js';
import { demoLayout, type DemoServerPaths } from './layout.js';
import { AGENT_MARKER, SERVICE_MARKER } from './markers.js';
import { alive, readPidFile, runs, stopByPidFiles } from './pid-files.js';
import { pause } from './ready.js';
import type { DemoOutput } from './run.js';

const RESTART_DEADLINE_MS = 10_000;

function findServer(dir: string, name: string, output: DemoOutput): DemoServerPaths | undefined {
  const server = demoLayout(dir).servers.find((candidate) => candidate.name === name);
  if (!server)
    output.err(
      `no demo server ${name}; the servers are ${demoLayout(dir)
        .servers.map((s) => s.name)
        .join(', ')}`,
    );
  return server;
}

/** SIGKILL to the agent of `name` and to every demo service it runs. Exit code 0, or 1 if it was not running. */
export async function crashServer(
  output: DemoOutput,
  name: string,
  dir = demoDir(),
  agentMarker = AGENT_MARKER,
): Promise<number> {
  const server = findServer(dir, name, output);
  if (!server) return 1;
  const agent = await stopByPidFiles(server.dir, agentMarker, 0);
  const services = await stopByPidFiles(demoLayout(dir).runDir, SERVICE_MARKER, 0, (file) =>
    basename(file).includes(`-${name}-`),
  );
  if (agent.length === 0) {
    output.err(`the agent of ${name} is not running`);
    return 1;
  }
  output.out(
    `${name} crashed: killed its agent (pid ${agent.join(', ')})${services.length > 0 ? ` and its services (pid ${services.join(', ')})` : ''}; bring it back with: vigil demo --restart ${name}`,
  );
  return 0;
}

/** Starts the agent of `name` again, in the background, and waits until it answers. */
export async function restartServer(
  output: DemoOutput,
  name: string,
  dir = demoDir(),
  options: StartAgentOptions = {},
): Promise<number> {
  const layout = demoLayout(dir);
  const server = findServer(dir, name, output);
  if (!server) return 1;
  const runner = await readPidFile(layout.runnerPidFile);
  if (runner === undefined || !alive(runner) || !(await runs(runner, 'demo'))) {
    output.err(`the demo is not running; start it with: vigil demo`);
    return 1;
  }
  if (await answers(server.socket)) {
    output.err(`the agent of ${name} is running already`);
    return 1;
  }
  const spec: AgentSpec = {
    name,
    configFile: layout.configFile,
    stateDir: server.stateDir,
    socket: server.socket,
    logFile: server.logFile,
    outputFile: server.outputFile,
    pidFile: server.pidFile,
  };
  const agent = startAgent(spec, options);
  agent.child.unref(); // it outlives this command; the demo stops it with the others
  const deadline = Date.now() + RESTART_DEADLINE_MS;
  while (Date.now() < deadline && agent.exit === null && !(await answers(server.socket))) await pause(100);
  if (agent.exit !== null || !(await answers(server.socket))) {
    output.err(
      `the agent of ${name} did not come up (see ${server.outputFile}); by hand: ${agentCommandLine(spec, options.vigildPath)}`,
    );
    return 1;
  }
  output.out(`the agent of ${name} is back (pid ${agent.pid})`);
  return 0;
}
