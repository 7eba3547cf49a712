// Operator commands (group, monitor, cluster) as an operator runs them: what is sent, what is
// printed, and the exit codes for accepted, refused, unreachable and wrong usage.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OperatorCommand } from '../../../src/engine/io.js';
import { startServer, tempDir } from '../control/helpers.js';
import { vigil } from './run-vigil.js';

test('each command sends the operator command and prints the engine message (exit 0)', async (t) => {
  const { socket, backend } = await startServer(t);
  const cases: [string[], OperatorCommand][] = [
    [['group', 'start', 'web'], { op: 'group-start', group: 'web' }],
    [['group', 'start', 'web', '--on', 's2'], { op: 'group-start', group: 'web', server: 's2' }],
    [['group', 'stop', 'web'], { op: 'group-stop', group: 'web' }],
    [['group', 'move', 'web', '--to', 's3'], { op: 'group-move', group: 'web', to: 's3' }],
    [['monitor', 'suspend', 'web-pid'], { op: 'monitor-suspend', monitor: 'web-pid' }],
    [['monitor', 'resume', 'web-pid'], { op: 'monitor-resume', monitor: 'web-pid' }],
    [['monitor', 'reset', 'web-pid'], { op: 'monitor-reset', monitor: 'web-pid' }],
    [['cluster', 'start'], { op: 'cluster-start' }],
    [['cluster', 'stop'], { op: 'cluster-stop' }],
    [['cluster', 'suspend'], { op: 'cluster-suspend' }],
    [['cluster', 'resume'], { op: 'cluster-resume' }],
  ];
  for (const [args, command] of cases) {
    const run = await vigil([...args, '--socket', socket]);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, `accepted ${command.op}\n`);
    assert.deepEqual(backend.commands.at(-1)?.command, command, args.join(' '));
  }
});

test('a refused command prints the reason and exits 1', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.decide = () => ({ ok: false, message: 'server s9 is not in the policy of group web (s1, s2, s3)' });
  const run = await vigil(['group', 'move', 'web', '--to', 's9', '--socket', socket]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'refused: server s9 is not in the policy of group web (s1, s2, s3)\n');
});

test('no agent is exit 2; wrong usage is exit 2 with the usage', async (t) => {
  const dir = await tempDir(t);
  const missing = await vigil(['cluster', 'stop', '--socket', join(dir, 'none.sock')]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /vigil cluster: no vigild answers on .*none\.sock: is the agent running\? \(ENOENT\)/,
  );
  const usage: [string[], RegExp][] = [
    [['group'], /missing subcommand: start, stop, move/],
    [['group', 'shuffle', 'web'], /unknown subcommand "shuffle"/],
    [['group', 'move', 'web'], /move needs --to SERVER/],
    [['group', 'stop'], /which group\? give its name/],
    [['group', 'stop', 'web', '--to', 's2'], /--to does not apply here/],
    [['group', 'stop', 'web', '--wait', 'soon'], /unexpected argument "soon"/],
    [['group', 'stop', 'web', '--wait=0'], /--wait takes a number of seconds greater than 0, not "0"/],
    [['monitor', 'suspend'], /which monitor\? give its name/],
    [['cluster', 'start', 'now'], /unexpected argument "now"/],
  ];
  for (const [args, message] of usage) {
    const run = await vigil(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
    assert.match(run.stderr, /usage:/, args.join(' '));
  }
});

test('group move --wait reports the group online on the target (exit 0)', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.effect = (command) => {
    if (command.op !== 'group-move') return;
    const group = (name: string) => (snapshot: typeof backend.snapshot) =>
      snapshot.groups.find((g) => g.name === name);
    // The move plays out over a few status changes, as the engine would report it.
    setTimeout(() => backend.update((s) => Object.assign(group('web')(s) ?? {}, { state: 'moving' })), 20);
    setTimeout(
      () => backend.update((s) => Object.assign(group('web')(s) ?? {}, { state: 'starting', server: 's2' })),
      150,
    );
    setTimeout(
      () => backend.update((s) => Object.assign(group('web')(s) ?? {}, { state: 'online', server: 's2' })),
      300,
    );
  };
  const run = await vigil(['group', 'move', 'web', '--to', 's2', '--wait', '10', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines[0], 'accepted group-move');
  assert.equal(lines.at(-1), 'group web is online on s2');
});

test('group start --wait reports a failure (exit 1), and a timeout (exit 1)', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.update((s) => Object.assign(s.groups[0] ?? {}, { state: 'offline', server: null }));
  backend.effect = () =>
    setTimeout(
      () => backend.update((s) => Object.assign(s.groups[0] ?? {}, { state: 'failed', server: 's1' })),
      20,
    );
  const failed = await vigil(['group', 'start', 'web', '--wait', '10', '--socket', socket]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /group web is failed on s1; see vigil status and vigil logs tail/);

  backend.effect = () => undefined;
  backend.update((s) => Object.assign(s.groups[0] ?? {}, { state: 'offline', server: null }));
  const late = await vigil(['group', 'start', 'web', '--on', 's2', '--wait=0.3', '--socket', socket]);
  assert.equal(late.code, 1);
  assert.match(late.stderr, /still waiting after 0\.3s: group web is offline; see vigil status/);
});

test('group stop --wait on a group that is already offline is done at once', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.update((s) => Object.assign(s.groups[0] ?? {}, { state: 'offline', server: null, run: false }));
  const run = await vigil(['group', 'stop', 'web', '--wait', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /group web is offline\n$/);
});
