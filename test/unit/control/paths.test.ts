// Default locations for root and for everyone else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSocketPath, defaultStateDir, demoDir } from '../../../src/control/paths.js';

test('the socket is /run/vigil as root, else under XDG_RUNTIME_DIR, else /tmp/vigil-<uid>', () => {
  assert.equal(defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/1000' }, 0), '/run/vigil/vigild.sock');
  assert.equal(
    defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000),
    '/run/user/1000/vigil/vigild.sock',
  );
  assert.equal(defaultSocketPath({}, 1000), '/tmp/vigil-1000/vigild.sock');
  assert.equal(defaultSocketPath({ XDG_RUNTIME_DIR: 'relative' }, 1000), '/tmp/vigil-1000/vigild.sock');
});

test('the state dir is /var/lib/vigil as root, else XDG_STATE_HOME/vigil or ~/.local/state/vigil', () => {
  assert.equal(defaultStateDir({}, 0, '/root'), '/var/lib/vigil');
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '/x/state' }, 1000, '/home/u'), '/x/state/vigil');
  assert.equal(defaultStateDir({}, 1000, '/home/u'), '/home/u/.local/state/vigil');
});

test('the demo lives in XDG_CACHE_HOME/vigil/demo or ~/.cache/vigil/demo', () => {
  assert.equal(demoDir({ XDG_CACHE_HOME: '/c' }, '/home/u'), '/c/vigil/demo');
  assert.equal(demoDir({}, '/home/u'), '/home/u/.cache/vigil/demo');
});
