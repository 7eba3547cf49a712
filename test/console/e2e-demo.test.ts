// The real console in a real terminal (tmux) on the real demo cluster: it shows the three servers,
// keystrokes move `web` and the screen then shows it online on the target, and `q` stops everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleWindow, hasTmux, vigilBin } from './tmux-window.js';

test(
  'vigil demo in a terminal: the console moves web by keyboard and q stops the demo',
  { skip: !hasTmux && 'tmux is not installed' },
  async (t) => {
    const cache = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    t.after(() => {
      spawnSync(process.execPath, [vigilBin, 'demo', '--stop'], {
        env: { ...process.env, XDG_CACHE_HOME: cache },
      });
      rmSync(cache, { recursive: true, force: true });
    });
    const demo = ConsoleWindow.start(t, 'demo', ['demo'], { LANG: 'C.UTF-8', XDG_CACHE_HOME: cache });
    await demo.shows(/s1 ✔ connected +s2 ✔ connected +s3 ✔ connected/, 40_000);
    const tree = await demo.shows(/web +✔ online +on s1/, 10_000);
    assert.match(tree, /s2 +✔ up/);
    assert.match(tree, /s3 +✔ up/);

    await demo.confirm(
      'move web s2',
      /Move web from s1 to s2\? Clients of web lose service while it moves\. \[y\/N\]/,
      5000,
    );
    await demo.shows(/web +✔ online +on s2/, 20_000);
    const answer = await fetch('http://127.0.0.100:8080/');
    assert.match(await answer.text(), /hello from s2/);

    demo.keys('q');
    await demo.exited(20_000);
    await assert.rejects(
      fetch('http://127.0.0.100:8080/', { signal: AbortSignal.timeout(1000) }),
      'web service stopped',
    );
  },
);
