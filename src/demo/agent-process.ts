// Starting and stopping one vigild process, as the demo does and as the process tests can.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commandWord } from './cluster-config.js';
import { writePidFileSync } from './pid-files.js';
import { repoRoot } from './repo.js';

export interface AgentSpec {
  /** The server this agent is (`--node`). */
  name: string;
  configFile: string;
  stateDir: string;
  socket: string;
  logFile: string;
  /** The agent's stdout and stderr are appended here; default: inherited from this process. */
  outputFile?: string;
  /** The agent's pid is written here while it runs. */
  pidFile?: string;
}

export interface StartAgentOptions {
  /** The vigild entry point; default bin/vigild of this checkout. */
  vigildPath?: string;
  /** Extra environment for the agent. */
  env?: Record<string, string>;
  /** Extra arguments after the standard ones. */
  extraArgs?: string[];
  /** Options for node itself, before the script (e.g. --cpu-prof for a benchmark). */
  nodeArgs?: string[];
}

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

export interface AgentHandle {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<AgentExit>;
  /** The exit, once it happened. */
  readonly exit: AgentExit | null;
  /** SIGTERM; SIGKILL to its whole process group if it has not exited after `deadlineMs`. */
  stop(deadlineMs?: number): Promise<AgentExit>;
}

export function defaultVigildPath(): string {
  return join(repoRoot(), 'bin', 'vigild');
}

/** The arguments of vigild for `spec` (after the node binary). */
export function agentArgs(spec: AgentSpec, vigildPath = defaultVigildPath()): string[] {
  return [
    vigildPath,
    '--config',
    spec.configFile,
    '--node',
    spec.name,
    '--state-dir',
    spec.stateDir,
    '--socket',
    spec.socket,
    '--log',
    spec.logFile,
  ];
}

/** The command line an operator can paste to start this agent by hand. */
export function agentCommandLine(spec: AgentSpec, vigildPath = defaultVigildPath()): string {
  return [process.execPath, ...agentArgs(spec, vigildPath)].map(commandWord).join(' ');
}

export function startAgent(spec: AgentSpec, options: StartAgentOptions = {}): AgentHandle {
  const output = spec.outputFile ? openSync(spec.outputFile, 'a') : undefined;
  // Its own process group: Ctrl-C in the demo's terminal reaches the demo, which stops the agents in order.
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...agentArgs(spec, options.vigildPath), ...(options.extraArgs ?? [])],
    {
      detached: true,
      stdio: output === undefined ? 'inherit' : ['ignore', output, output],
      env: { ...process.env, ...options.env },
    },
  );
  if (output !== undefined) closeSync(output);
  let exit: AgentExit | null = null;
  const exited = new Promise<AgentExit>((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = { code, signal })));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve((exit = { code: null, signal: null, error: error.message }));
    });
  });
  // Written before returning, so whoever started the agent can rely on it.
  if (spec.pidFile && child.pid !== undefined) writePidFileSync(spec.pidFile, child.pid);
  if (spec.pidFile) void exited.then(() => rm(spec.pidFile as string, { force: true }));
  return {
    name: spec.name,
    pid: child.pid ?? -1,
    child,
    exited,
    get exit() {
      return exit;
    },
    stop: (deadlineMs = 5000) => stopAgent(child, exited, () => exit, deadlineMs),
  };
}

async function stopAgent(
  child: ChildProcess,
  exited: Promise<AgentExit>,
  current: () => AgentExit | null,
  deadlineMs: number,
): Promise<AgentExit> {
  if (current() !== null || child.pid === undefined) return exited;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
  const first = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  killGroup(child.pid);
  return exited;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
