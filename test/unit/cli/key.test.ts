import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadClusterKey } from '../../../src/agent/cluster-key.js';
import { vigil } from './run-vigil.js';

test('vigil key generate writes a loadable 0600 key and never overwrites one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cluster.key');
  const first = await vigil(['key', 'generate', file]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.doesNotThrow(() => loadClusterKey(file));
  const before = readFileSync(file, 'utf8');
  const again = await vigil(['key', 'generate', file]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.equal((await vigil(['key', 'generate'])).code, 2);
});
