// The real `vigil` entry point, as an operator runs it (needs the build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { repoPath } from './paths.js';

function vigil(...args: string[]) {
  const result = spawnSync(process.execPath, [repoPath('bin/vigil'), ...args], {
    cwd: repoPath('.'),
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('config check: a valid file exits 0 and prints the summary with the failover budget', () => {
  const run = vigil('config', 'check', 'examples/two-servers-web.yaml');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^examples\/two-servers-web\.yaml: valid$/m);
  assert.match(run.stdout, /cluster prod-web: 2 servers, 1 group, 1 monitor/);
  assert.match(run.stdout, /s1: lan0 10\.0\.0\.1, lan1 192\.168\.7\.1, com \/dev\/ttyS0/);
  assert.match(
    run.stdout,
    /web \(2 resources, on s1, s2\): 1m17\.5s worst case = detect 2s \+ resolve 1s \+ fence wait 4\.5s \+ stop 30s \+ start 40s/,
  );
});

test('config check: warnings are printed and still exit 0', () => {
  const run = vigil('config', 'check', 'test/unit/config/broken/ping-only-two-servers.yaml');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /ping-only-two-servers\.yaml:\d+:\d+ partition\.methods: warning: ping-only/);
  assert.match(run.stdout, /valid \(1 warning\)/);
});

test('config check: an invalid file exits 1 with FILE:LINE:COL lines and no stack trace', () => {
  const run = vigil('config', 'check', 'test/unit/config/broken/dependency-cycle.yaml');
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /dependency-cycle\.yaml:14:21 groups\[0\]\.resources\[0\]\.dependsOn\[0\]: dependency cycle: web-a -> web-b -> web-a \(/,
  );
  assert.match(run.stdout, /dependency-cycle\.yaml: invalid: 1 error$/m);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /);
});

test('config check: malformed YAML exits 1 with the parser position', () => {
  const run = vigil('config', 'check', 'test/unit/config/broken/malformed-tab-indent.yaml');
  assert.equal(run.code, 1);
  assert.match(run.stdout, /malformed-tab-indent\.yaml:4:1 YAML: Tabs are not allowed as indentation/);
});

test('config check: several files are checked one by one; the worst result decides', () => {
  const run = vigil(
    'config',
    'check',
    'examples/three-servers-n-plus-1.yaml',
    'test/unit/config/broken/empty-file.yaml',
  );
  assert.equal(run.code, 1);
  assert.match(run.stdout, /three-servers-n-plus-1\.yaml: valid/);
  assert.match(run.stdout, /empty-file\.yaml:1:1 the file is empty/);
});

test('config check: usage errors and unreadable files exit 2 naming the problem', () => {
  const none = vigil('config', 'check');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no config file given/);
  const missing = vigil('config', 'check', 'no/such/file.yaml');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read no\/such\/file\.yaml: no such file/);
  const directory = vigil('config', 'check', 'examples');
  assert.equal(directory.code, 2);
  assert.match(directory.stderr, /cannot read examples: it is a directory/);
  assert.equal(vigil('config', 'check', '--verbose', 'x.yaml').code, 2);
});

test('config schema prints valid JSON', () => {
  const run = vigil('config', 'schema');
  assert.equal(run.code, 0);
  const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown> };
  assert.ok('cluster' in schema.properties);
});

test('help lists the commands; unknown commands and subcommands exit 2', () => {
  for (const args of [['--help'], ['help']]) {
    const run = vigil(...args);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^ {2}config +check a cluster config file/m);
  }
  assert.equal(vigil('help', 'config').code, 0);
  const unknown = vigil('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const sub = vigil('config', 'validate');
  assert.equal(sub.code, 2);
  assert.match(sub.stderr, /unknown subcommand "validate"/);
  assert.equal(vigil().code, 2);
});
