// The agent validates its cluster file in a child process: the result must come back whole (the
// same as loading in-process), errors must come back as problems, and no child may outlive a load.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigIsolated } from '../../../src/agent/load-config-isolated.js';
import { loadConfigFile } from '../../../src/config/index.js';
import { tempDir } from '../control/helpers.js';

const example = join(import.meta.dirname, '../../../../examples/two-servers-web.yaml');

function loaderChildren(): string {
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('load-config-child'))
    .join('\n');
}

test('a valid file comes back from the child exactly as an in-process load gives it', async () => {
  const isolated = await loadConfigIsolated(example);
  assert.equal(isolated.ok, true);
  assert.deepEqual(isolated, await loadConfigFile(example));
  assert.equal(loaderChildren(), '', 'the loader child has exited');
});

test('an invalid or missing file comes back as problems, not as an exception', async (t) => {
  const dir = await tempDir(t, 'vigil-load-isolated-');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'cluster: [\n');
  const invalid = await loadConfigIsolated(bad);
  assert.equal(invalid.ok, false);
  assert.ok(!invalid.ok && invalid.problems.some((p) => /YAML/.test(p.message)));
  const missing = await loadConfigIsolated(join(dir, 'none.yaml'));
  assert.ok(!missing.ok && /no such file/.test(missing.readError ?? ''));
});
