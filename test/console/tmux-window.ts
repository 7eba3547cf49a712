// The real console (or any vigil command) in a real terminal: a tmux window of its own tmux server,
// driven by keys and read from the screen, with deadlines rather than fixed sleeps.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot } from '../../src/demo/repo.js';
import { waitFor } from '../process/cluster/harness.js';

export const vigilBin = join(repoRoot(), 'bin', 'vigil');
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** This process's environment with `vars` set (undefined: removed). */
export function withVars(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(vars))
    if (value === undefined) delete env[name];
    else env[name] = value;
  return env;
}

const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export class ConsoleWindow {
  private constructor(
    private readonly server: string,
    /** The program's working directory (a temp dir of its own: what it writes lands there). */
    readonly dir: string,
  ) {}

  /** Runs `vigil ARGS` with `vars` in the environment; the tmux server goes when the test ends. */
  static start(
    t: TestContext,
    name: string,
    args: string[],
    vars: Record<string, string | undefined> = {},
  ): ConsoleWindow {
    const window = new ConsoleWindow(
      `vigil-e2e-${name}-${process.pid}`,
      mkdtempSync(join(tmpdir(), 'vigil-e2e-cwd-')),
    );
    t.after(() => {
      spawnSync('tmux', ['-L', window.server, 'kill-server']);
      rmSync(window.dir, { recursive: true, force: true });
    });
    // Set in the command too: a tmux server already running would not take this process's environment.
    const unset = Object.keys(vars).filter((key) => vars[key] === undefined);
    const set = Object.entries(vars).flatMap(([key, value]) =>
      value === undefined ? [] : [`${key}=${value}`],
    );
    const command = [
      'env',
      ...unset.flatMap((key) => ['-u', key]),
      ...set,
      process.execPath,
      vigilBin,
      ...args,
    ]
      .map(quote)
      .join(' ');
    // A wide window: the status line names every node.
    window.tmux('new-session', '-d', '-s', 'console', '-c', window.dir, '-x', '200', '-y', '50', command);
    return window;
  }

  private tmux(...args: string[]): string {
    // -u: a UTF-8 terminal, as operators' are, whatever the locale CI runs with.
    return execFileSync('tmux', ['-u', '-L', this.server, ...args], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM ?? 'xterm-256color' },
    });
  }

  screen(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', 'console');
    } catch {
      return '(no tmux session: the program exited)';
    }
  }

  /** Waits until the screen matches; fails with the screen as it last was. */
  async shows(pattern: RegExp, deadlineMs: number): Promise<string> {
    const end = Date.now() + deadlineMs;
    let screen = '';
    while (Date.now() < end) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'console', ...keys);
  }

  /** Types a palette command and answers its confirmation question with y. */
  async confirm(command: string, question: RegExp, deadlineMs = 10_000): Promise<void> {
    this.keys(`:${command}`, 'Enter');
    await this.shows(question, deadlineMs);
    this.keys('y');
  }

  /** Waits until the program has exited (its tmux session is gone). */
  async exited(deadlineMs: number): Promise<void> {
    await waitFor(
      'the program in tmux to exit',
      () => spawnSync('tmux', ['-L', this.server, 'has-session', '-t', 'console']).status !== 0,
      deadlineMs,
    );
  }
}
