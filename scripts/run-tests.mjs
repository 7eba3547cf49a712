// Runs the compiled test files of the named suites (folders under dist/test) with node's test runner.
// Usage: node scripts/run-tests.mjs unit sim [--only PATTERN]
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const suites = args.length > 0 ? args : ['unit', 'sim', 'process', 'console', 'lab'];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const files = suites
  .flatMap((suite) => testFiles(join('dist', 'test', suite)))
  .filter((file) => !only || file.includes(only))
  .sort();
if (files.length === 0) {
  console.error(`no test files found for suites: ${suites.join(', ')} (did the build run?)`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
