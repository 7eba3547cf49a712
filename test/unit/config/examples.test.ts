import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem, loadConfigFile } from '../../../src/config/index.js';
import { repoPath } from './paths.js';

const dir = repoPath('examples');
const files = readdirSync(dir).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'));

test('the examples folder has the documented examples', () => {
  assert.ok(files.includes('two-servers-web.yaml'));
  assert.ok(files.includes('three-servers-n-plus-1.yaml'));
  assert.ok(files.includes('two-servers-database.yaml'));
});

for (const name of files) {
  test(`examples/${name} is a valid config without warnings`, async () => {
    const result = await loadConfigFile(join(dir, name));
    const problems = result.ok ? result.warnings : result.problems;
    assert.deepEqual(problems.map(formatProblem), []);
    assert.ok(result.ok);
  });
}
