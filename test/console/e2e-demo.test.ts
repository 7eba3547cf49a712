// The real console in a real terminal (tmux) on the real demo cluster: it shows the three servers,
// keystrokes move `web` and the screen then shows it online on the target, and `q` stops everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/demo/repo.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

function tmux(...args: string[]): string {
  // -u: a UTF-8 terminal, as operators' are, whatever the locale CI runs with.
  return execFileSync('tmux', ['-u', '-L', 'vigil-e2e', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM ?? 'xterm-256color' },
  });
}

async function screenShows(pattern: RegExp, deadlineMs: number): Promise<string> {
  const end = Date.now() + deadlineMs;
  let screen = '';
  while (Date.now() < end) {
    try {
      screen = tmux('capture-pane', '-p', '-t', 'console');
    } catch {
      screen = '(no tmux session)';
    }
    if (pattern.test(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
}

test(
  'vigil demo in a terminal: the console moves web by keyboard and q stops the demo',
  { skip: !hasTmux && 'tmux is not installed' },
  async (t) => {
    const cache = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    const vigil = join(repoRoot(), 'bin', 'vigil');
    t.after(() => {
      spawnSync('tmux', ['-L', 'vigil-e2e', 'kill-server']);
      spawnSync(process.execPath, [vigil, 'demo', '--stop'], {
        env: { ...process.env, XDG_CACHE_HOME: cache },
      });
      rmSync(cache, { recursive: true, force: true });
    });
    tmux(
      'new-session',
      '-d',
      '-s',
      'console',
      '-x',
      '120',
      '-y',
      '40',
      `LANG=C.UTF-8 XDG_CACHE_HOME=${cache} ${process.execPath} ${vigil} demo`,
    );
    await screenShows(/s1 ✔ connected +s2 ✔ connected +s3 ✔ connected/, 40_000);
    const tree = await screenShows(/web +✔ online +on s1/, 10_000);
    assert.match(tree, /s2 +✔ up/);
    assert.match(tree, /s3 +✔ up/);

    tmux('send-keys', '-t', 'console', ':move web s2', 'Enter');
    await screenShows(/Move web from s1 to s2\? Clients of web lose service while it moves\. \[y\/N\]/, 5000);
    tmux('send-keys', '-t', 'console', 'y');
    await screenShows(/web +✔ online +on s2/, 20_000);
    const answer = await fetch('http://127.0.0.100:8080/');
    assert.match(await answer.text(), /hello from s2/);

    tmux('send-keys', '-t', 'console', 'q');
    const end = Date.now() + 20_000;
    while (spawnSync('tmux', ['-L', 'vigil-e2e', 'has-session', '-t', 'console']).status === 0) {
      assert.ok(Date.now() < end, 'the demo exits after q');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await assert.rejects(
      fetch('http://127.0.0.100:8080/', { signal: AbortSignal.timeout(1000) }),
      'web service stopped',
    );
  },
);
