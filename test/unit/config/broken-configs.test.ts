// Every file in broken/ starts with a comment line saying what is wrong, then one
// `# expect: LINE:COL path: message` line per problem (warnings: `path: warning: message`).
// The problems found must be exactly those, in that order.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigText, type Problem } from '../../../src/config/index.js';
import { repoPath } from './paths.js';

const dir = repoPath('test/unit/config/broken');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

function expectation(problem: Problem): string {
  const path = problem.path === '' ? '' : ` ${problem.path}:`;
  const label = problem.severity === 'warning' ? ' warning:' : '';
  return `${problem.line}:${problem.col}${path}${label} ${problem.message}`;
}

test('the broken suite has at least 20 files', () => {
  assert.ok(files.length >= 20, `only ${files.length} files in ${dir}`);
});

for (const name of files) {
  test(`broken/${name}`, () => {
    const text = readFileSync(join(dir, name), 'utf8');
    const expected = text
      .split('\n')
      .filter((line) => line.startsWith('# expect: '))
      .map((line) => line.slice('# expect: '.length));
    assert.ok(expected.length > 0, `${name} has no "# expect:" lines`);
    const result = loadConfigText(text, name);
    const problems = result.ok ? result.warnings : result.problems;
    assert.deepEqual(problems.map(expectation), expected);
    for (const problem of problems) {
      assert.equal(problem.file, name);
      assert.ok(problem.hint === undefined || problem.hint.length > 0, 'a hint is never empty');
    }
    const onlyWarnings = problems.every((problem) => problem.severity === 'warning');
    assert.equal(
      result.ok,
      onlyWarnings,
      onlyWarnings ? 'warnings must not fail the check' : 'errors must fail the check',
    );
  });
}
