// Drivers that manage a resource through a command-line tool (systemctl, vgchange, mount, nsupdate,
// docker, virsh) run it through here: the argv is quoted for /bin/sh and run by runCommand, so it gets
// a process group of its own, is killed at its timeout and at once by fencing; stdout and stderr come
// back apart, for parsing and for error messages. The tool is looked up on the PATH of `env`.
import { describeExit, runCommand } from './process-group.js';

export interface ToolOptions {
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  abort?: AbortSignal;
  /** Written to the tool's standard input (through a pipe from printf: commands otherwise get /dev/null). */
  input?: string;
}

export interface ToolResult {
  argv: string[];
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** "exited with code 1", "timed out after 5000 ms …"; empty when ok. */
  failure: string;
}

/** Between SIGTERM and SIGKILL when a tool times out. */
const TOOL_GRACE_MS = 2000;

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export async function runTool(argv: string[], options: ToolOptions): Promise<ToolResult> {
  const line = argv.map(shellQuote).join(' ');
  const command = options.input === undefined ? line : `printf '%s' ${shellQuote(options.input)} | ${line}`;
  const stdout: string[] = [];
  const stderr: string[] = [];
  if (options.timeoutMs <= 0) {
    return {
      argv,
      ok: false,
      code: null,
      stdout: '',
      stderr: '',
      timedOut: true,
      aborted: false,
      failure: 'was not run: no time left before the timeout',
    };
  }
  const result = await runCommand(command, {
    env: options.env,
    timeoutMs: options.timeoutMs,
    graceMs: TOOL_GRACE_MS,
    abort: options.abort,
    onLine: (stream, text) => (stream === 'stdout' ? stdout : stderr).push(text),
  });
  const ok = result.code === 0 && !result.timedOut && !result.aborted && result.error === undefined;
  let failure = ok ? '' : describeExit(result);
  // /bin/sh says "not found" and exits 127 when the tool is missing.
  if (result.code === 127) failure += ` (is ${argv[0]} installed and on the agent's PATH?)`;
  return {
    argv,
    ok,
    code: result.code,
    stdout: stdout.join('\n'),
    stderr: stderr.join('\n'),
    timedOut: result.timedOut,
    aborted: result.aborted,
    failure,
  };
}

/** "`systemctl start web.service` exited with code 1: Job for web.service failed …" (stderr, else stdout). */
export function describeToolFailure(result: ToolResult): string {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  const output = lines(result.stderr);
  // Without its final full stop: callers go on with ". Check …".
  const said = (output.length > 0 ? output : lines(result.stdout)).slice(-5).join(' | ').replace(/\.$/, '');
  return `\`${result.argv.map(shellQuote).join(' ')}\` ${result.failure}${said === '' ? '' : `: ${said}`}`;
}
