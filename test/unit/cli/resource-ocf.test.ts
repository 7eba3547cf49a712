// `vigil resource start|stop` against the control server with a scripted backend, and `vigil ocf`
// plus the OCF parameter check of `vigil config check` against the installed resource-agents.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer, tempDir } from '../control/helpers.js';
import { repo, vigil } from './run-vigil.js';

const hasAgents = {
  skip: !existsSync('/usr/lib/ocf/resource.d/heartbeat/Dummy') && 'resource-agents is not installed',
};

test('resource start and stop send the resource command for GROUP/RESOURCE', async (t) => {
  const { socket, backend } = await startServer(t);
  for (const op of ['start', 'stop'] as const) {
    const run = await vigil(['resource', op, 'web/web-service', '--socket', socket]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `accepted resource-${op}\n`);
    assert.deepEqual(backend.commands.at(-1)?.command, {
      op: `resource-${op}`,
      group: 'web',
      resource: 'web-service',
    });
  }
});

test('resource stop --wait follows the resource to offline; a failed start is exit 1', async (t) => {
  const { socket, backend } = await startServer(t);
  const setState = (state: string) =>
    backend.update((s) => Object.assign(s.groups[0]?.resources[0] ?? {}, { state }));
  backend.effect = (command) => {
    if (command.op === 'resource-stop') {
      setTimeout(() => setState('stopping'), 20);
      setTimeout(() => setState('offline'), 150);
    } else setTimeout(() => setState('failed'), 20);
  };
  const stopped = await vigil(['resource', 'stop', 'web/web-service', '--wait', '10', '--socket', socket]);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout.trim().split('\n').at(-1), 'resource web/web-service is offline');
  const started = await vigil(['resource', 'start', 'web/web-service', '--wait', '10', '--socket', socket]);
  assert.equal(started.code, 1);
  assert.match(started.stderr, /resource web\/web-service failed; see vigil status and vigil logs tail/);
  // batch runs on s3: this agent (s1) cannot see its resources' states, and says where to ask.
  const elsewhere = await vigil(['resource', 'stop', 'batch/batch-job', '--wait', '10', '--socket', socket]);
  assert.equal(elsewhere.code, 1);
  assert.match(elsewhere.stderr, /runs on s3; its state is only known there \(vigil status --node s3\)/);
});

test('resource: wrong usage is exit 2 with the usage', async () => {
  for (const [args, message] of [
    [['resource', 'start'], /which resource\? give GROUP\/RESOURCE/],
    [['resource', 'stop', 'web'], /"web" is not GROUP\/RESOURCE/],
    [['resource', 'stop', 'a/b/c'], /"a\/b\/c" is not GROUP\/RESOURCE/],
    [['resource', 'restart', 'a/b'], /unknown subcommand "restart"/],
  ] as const) {
    const run = await vigil([...args]);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message);
    assert.match(run.stderr, /usage:/);
  }
});

test('ocf list and describe show the installed agents and their meta-data', hasAgents, async () => {
  const list = await vigil(['ocf', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^heartbeat: .*\bDummy\b.*\bFilesystem\b/m);
  const described = await vigil(['ocf', 'describe', 'heartbeat:Filesystem']);
  assert.equal(described.code, 0, described.stderr);
  assert.match(described.stdout, /^ocf:heartbeat:Filesystem - /);
  assert.match(described.stdout, /^ {2}device \(required, string\)/m);
  assert.match(described.stdout, /^ {2}fast_stop \(optional, boolean, default no\)/m);
  assert.match(described.stdout, /^ {2}monitor timeout \d+s/m);
  const missing = await vigil(['ocf', 'describe', 'heartbeat:NoSuchAgent']);
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /no OCF agent heartbeat:NoSuchAgent at \/usr\/lib\/ocf\/resource\.d\/heartbeat\/NoSuchAgent; see vigil ocf list/,
  );
  const empty = await vigil(['ocf', 'list', '--ocf-root', '/nonexistent-ocf-root']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no OCF agents under \/nonexistent-ocf-root\/resource\.d; install them/);
});

test(
  'config check: a required OCF parameter missing is an error; an agent not installed is a warning',
  hasAgents,
  async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'cluster.yaml');
    writeFileSync(
      file,
      `cluster: { name: c }
servers: [{ name: s1, lan: [127.0.0.1] }, { name: s2, lan: [127.0.0.2] }]
groups:
  - name: db
    resources:
      - { name: fs, type: ocf, agent: heartbeat:Filesystem, params: { device: /dev/sdb1 } }
      - { name: other, type: ocf, agent: acme:NotInstalled }
`,
    );
    const run = await vigil(['config', 'check', file]);
    assert.equal(run.code, 1, run.stdout);
    const lines = run.stdout.trim().split('\n');
    assert.deepEqual(lines, [
      `${file}: groups[0].resources[0] (db/fs): OCF agent heartbeat:Filesystem requires parameter "directory" (add it under params; see vigil ocf describe heartbeat:Filesystem)`,
      `${file}: groups[0].resources[0] (db/fs): OCF agent heartbeat:Filesystem requires parameter "fstype" (add it under params; see vigil ocf describe heartbeat:Filesystem)`,
      `${file}: groups[0].resources[1] (db/other): warning: OCF agent acme:NotInstalled is not installed on this machine (/usr/lib/ocf/resource.d/acme/NotInstalled), so its parameters were not checked`,
      `${file}: invalid: 2 errors in OCF parameters`,
    ]);
    const example = await vigil(['config', 'check', join(repo, 'examples', 'two-servers-database.yaml')]);
    assert.equal(example.code, 0, example.stdout);
    assert.match(example.stdout, /two-servers-database\.yaml: valid/);
  },
);
