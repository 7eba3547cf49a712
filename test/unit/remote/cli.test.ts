// The CLI over SSH as an operator runs it: `--node` with trust on first use (--accept-new), refusal of
// a changed host key with file:line, commands and status through the endpoint and through a site's
// sshd (--via openssh), usage errors, and `vigil bridge`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../../../src/control/protocol.js';
import { fingerprintOf } from '../../../src/remote/known-hosts.js';
import { tempDir } from '../control/helpers.js';
import { repo, vigil } from '../cli/run-vigil.js';
import { newKeyPair, startSsh, type TestSsh } from './ssh-server.js';

/** The SSH arguments and an environment with no ssh-agent and an empty home (no ~/.ssh/config). */
function remote(ssh: TestSsh, ...extra: string[]): string[] {
  return [
    '--node',
    '127.0.0.1',
    '--ssh-port',
    String(ssh.port),
    '--known-hosts',
    join(ssh.dir, 'known_hosts'),
    '--identity',
    ssh.identity,
    ...extra,
  ];
}
const env = (ssh: TestSsh) => ({ HOME: ssh.dir, SSH_AUTH_SOCK: '' });

test('an unknown host is refused showing its fingerprint; --accept-new trusts and records it', async (t) => {
  const ssh = await startSsh(t);
  const fingerprint = fingerprintOf(ssh.hostKey);
  const refused = await vigil(['status', ...remote(ssh)], env(ssh));
  assert.equal(refused.code, 2, refused.stderr);
  assert.ok(refused.stderr.includes(fingerprint), refused.stderr);
  assert.match(refused.stderr, /^vigil status: the host key of 127\.0\.0\.1:\d+ is not known .*--accept-new/);
  const accepted = await vigil(['status', ...remote(ssh, '--accept-new')], env(ssh));
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, /as seen by s1/);
  assert.ok(accepted.stderr.includes(`trusting the new host key of [127.0.0.1]:${ssh.port}`));
  assert.ok(accepted.stderr.includes(fingerprint));
  const line = `[127.0.0.1]:${ssh.port} ssh-ed25519 ${ssh.hostKey.toString('base64')}\n`;
  assert.equal(await readFile(join(ssh.dir, 'known_hosts'), 'utf8'), line);
  // Known from now on: no note, same file.
  const again = await vigil(['status', '--json', ...remote(ssh)], env(ssh));
  assert.equal(again.code, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { node: string }).node, 's1');
  assert.equal(again.stderr, '');
  assert.equal(await readFile(join(ssh.dir, 'known_hosts'), 'utf8'), line);
});

test('a changed host key is refused with file and line, even with --accept-new', async (t) => {
  const ssh = await startSsh(t);
  const file = join(ssh.dir, 'known_hosts');
  const old = newKeyPair().public.split(' ')[1] as string;
  await writeFile(file, `# vigil\n[127.0.0.1]:${ssh.port} ssh-ed25519 ${old}\n`);
  const run = await vigil(['status', ...remote(ssh, '--accept-new')], env(ssh));
  assert.equal(run.code, 2);
  assert.ok(
    run.stderr.includes(
      `host key for 127.0.0.1:${ssh.port} changed: it offered ssh-ed25519 ${fingerprintOf(ssh.hostKey)}, but ${file} line 2 says ${fingerprintOf(Buffer.from(old, 'base64'))}`,
    ),
    run.stderr,
  );
  assert.match(run.stderr, /if the server was reinstalled.*remove that line/i);
  assert.equal(ssh.seen.users.length, 0);
});

test('operator commands, alerts and logs over SSH; --via openssh through a site sshd', async (t) => {
  const ssh = await startSsh(t);
  await writeFile(
    join(ssh.dir, 'known_hosts'),
    `[127.0.0.1]:${ssh.port} ssh-ed25519 ${ssh.hostKey.toString('base64')}\n`,
  );
  const suspend = await vigil(['cluster', 'suspend', ...remote(ssh)], env(ssh));
  assert.equal(suspend.code, 0, suspend.stderr);
  assert.equal(suspend.stdout, 'accepted cluster-suspend\n');
  assert.deepEqual(ssh.backend.commands.at(-1), {
    command: { op: 'cluster-suspend' },
    operator: 'ssh:test-operator',
  });
  const move = await vigil(['group', 'move', 'web', '--to', 's2', ...remote(ssh)], env(ssh));
  assert.equal(move.code, 0, move.stderr);
  const monitor = await vigil(['monitor', 'reset', 'web-pid', ...remote(ssh)], env(ssh));
  assert.equal(monitor.code, 0, monitor.stderr);
  const alerts = await vigil(['alerts', '--json', ...remote(ssh)], env(ssh));
  assert.equal(alerts.code, 0, alerts.stderr);
  const logs = await vigil(['logs', 'tail', '--server', 's1', ...remote(ssh)], env(ssh));
  assert.equal(logs.code, 0, logs.stderr);

  const sshd = await startSsh(t, { noSubsystem: true });
  await writeFile(
    join(sshd.dir, 'known_hosts'),
    `[127.0.0.1]:${sshd.port} ssh-ed25519 ${sshd.hostKey.toString('base64')}\n`,
  );
  const via = await vigil(
    ['status', ...remote(sshd, '--via', 'openssh', '--socket', sshd.control.socket)],
    env(sshd),
  );
  assert.equal(via.code, 0, via.stderr);
  assert.deepEqual(sshd.seen.streamlocal, [sshd.control.socket]);
  const wrongMethod = await vigil(['status', ...remote(sshd)], env(sshd));
  assert.equal(wrongMethod.code, 2);
  assert.match(wrongMethod.stderr, /does not serve the vigil-control subsystem/);
});

test('SSH usage errors are exit 2 with the reason', async () => {
  const cases: [string[], RegExp][] = [
    [['status', '--via', 'openssh'], /--via goes with --node HOST/],
    [['status', '--node', 'h1', '--via', 'telnet'], /--via takes "openssh"/],
    [['status', '--node', 'h1', '--demo'], /give --node or --demo, not both/],
    [['status', '--node', 'h1', '--socket', '/x'], /--socket with --node needs --via openssh/],
    [['status', '--node', 'h1', '--ssh-port', '99999'], /--ssh-port takes a port number/],
    [['group', 'stop', 'web', '--known-hosts', '/x'], /--known-hosts goes with --node HOST/],
  ];
  for (const [args, message] of cases) {
    const run = await vigil(args, { HOME: '/nonexistent', SSH_AUTH_SOCK: '' });
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
  }
});

test('vigil bridge joins stdin/stdout to the control socket; no agent is exit 2', async (t) => {
  const ssh = await startSsh(t);
  const child = spawn(process.execPath, [`${repo}bin/vigil`, 'bridge', '--socket', ssh.control.socket], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.stdin.write(
    `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { protocol: PROTOCOL_VERSION } })}\n`,
  );
  await new Promise<void>((resolve) => {
    const check = () => (out.includes('\n') ? resolve() : child.stdout.once('data', check));
    check();
  });
  const reply = JSON.parse(out.split('\n')[0] as string) as { id: number; result?: { server: string } };
  assert.equal(reply.id, 1);
  assert.equal(reply.result?.server, 's1');
  child.stdin.end();
  assert.equal(await exited, 0);

  const dir = await tempDir(t);
  const missing = await vigil(['bridge', '--socket', join(dir, 'none.sock')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /vigil bridge: no vigild answers on .*none\.sock: ENOENT/);
});
