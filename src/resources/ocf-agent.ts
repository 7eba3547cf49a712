// Running OCF resource agents ($OCF_ROOT/resource.d/PROVIDER/AGENT ACTION) the way the OCF standard
// says: parameters as OCF_RESKEY_* variables, the instance name, the root. Shared by the ocf resource
// driver, the ocf monitor and the `vigil ocf` commands.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeActionCode } from './exit-codes.js';
import { describeLastLines } from './lines.js';
import {
  completed,
  describeProgram,
  runProgram,
  type ProgramOptions,
  type ProgramResult,
} from './run-program.js';

export const DEFAULT_OCF_ROOT = '/usr/lib/ocf';
const PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface OcfAgentName {
  provider: string;
  agent: string;
}

/** "heartbeat:Dummy" (or "ocf:heartbeat:Dummy") → its parts; an error that says the format otherwise. */
export function parseAgentName(text: string): OcfAgentName {
  const parts = text.split(':');
  if (parts.length === 3 && parts[0] === 'ocf') parts.shift();
  const [provider, agent] = parts;
  if (
    parts.length !== 2 ||
    provider === undefined ||
    agent === undefined ||
    !PART.test(provider) ||
    !PART.test(agent)
  )
    throw new Error(`"${text}" is not an OCF agent name; write PROVIDER:AGENT, e.g. heartbeat:Dummy`);
  return { provider, agent };
}

export function agentPath(name: OcfAgentName, ocfRoot = DEFAULT_OCF_ROOT): string {
  return join(ocfRoot, 'resource.d', name.provider, name.agent);
}

/** Providers and their agents found under OCF_ROOT (executable files only), sorted. */
export function listAgents(ocfRoot = DEFAULT_OCF_ROOT): { provider: string; agents: string[] }[] {
  const base = join(ocfRoot, 'resource.d');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((provider) => PART.test(provider) && isDirectory(join(base, provider)))
    .sort()
    .map((provider) => ({
      provider,
      agents: readdirSync(join(base, provider))
        .filter((agent) => PART.test(agent) && isExecutable(join(base, provider, agent)))
        .sort(),
    }));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export interface OcfCall {
  name: OcfAgentName;
  ocfRoot: string;
  /** OCF_RESOURCE_INSTANCE: names the instance (state files and logs of the agent use it). */
  instance: string;
  params: Record<string, string>;
}

export function ocfEnvironment(call: OcfCall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OCF_ROOT: call.ocfRoot,
    OCF_FUNCTIONS_DIR: join(call.ocfRoot, 'lib', 'heartbeat'),
    OCF_RESOURCE_INSTANCE: call.instance,
    OCF_RESOURCE_TYPE: call.name.agent,
    OCF_RESOURCE_PROVIDER: call.name.provider,
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '0',
  };
  for (const [key, value] of Object.entries(call.params)) env[`OCF_RESKEY_${key}`] = value;
  return env;
}

export function runAgent(
  call: OcfCall,
  action: string,
  options: Omit<ProgramOptions, 'env'>,
): Promise<ProgramResult> {
  return runProgram([agentPath(call.name, call.ocfRoot), action], { ...options, env: ocfEnvironment(call) });
}

export type MonitorState = 'running' | 'stopped' | 'failed';

/** OCF monitor status: 0 running, 7 not running, anything else (or no exit code) failed. */
export function monitorState(result: ProgramResult): MonitorState {
  if (!completed(result)) return 'failed';
  return result.code === 0 ? 'running' : result.code === 7 ? 'stopped' : 'failed';
}

/** "ocf:heartbeat:Dummy start failed with exit code 5 (program is not installed; …) (last output: …)" */
export function describeAgentResult(call: OcfCall, action: string, result: ProgramResult): string {
  const who = `ocf:${call.name.provider}:${call.name.agent} ${action}`;
  if (!completed(result)) return describeProgram(who, result);
  const outcome = result.code === 0 ? 'succeeded' : `failed with ${describeActionCode(result.code)}`;
  return `${who} ${outcome}${describeLastLines(result.lastLines)}`;
}
