// openRemoteControl against an in-test ssh2 server: host key trust on first use, refusal of changed
// and revoked keys, the vigil-control subsystem, direct-streamlocal and the `vigil bridge` fallback,
// authentication failures, and RemoteNode's reconnection.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { ControlClient } from '../../../src/control/client.js';
import { PROTOCOL_VERSION } from '../../../src/control/protocol.js';
import { fingerprintOf } from '../../../src/remote/known-hosts.js';
import type { NodeTarget } from '../../../src/remote/node-target.js';
import { RemoteNode, type RemoteNodeState } from '../../../src/remote/session-node.js';
import { openRemoteControl, RemoteError, type UnknownHost } from '../../../src/remote/session.js';
import { waitFor } from '../control/helpers.js';
import { newKeyPair, startSsh, type TestSsh } from './ssh-server.js';

function targetOf(ssh: TestSsh, overrides: Partial<NodeTarget> = {}): NodeTarget {
  return {
    alias: 'n1',
    hostname: '127.0.0.1',
    port: ssh.port,
    user: 'tester',
    identityFiles: [ssh.identity],
    method: 'endpoint',
    socketPath: ssh.control.socket,
    ...overrides,
  };
}

function options(ssh: TestSsh, extra: Parameters<typeof openRemoteControl>[1] = {}) {
  return { knownHostsFile: join(ssh.dir, 'known_hosts'), agentSocket: null, readyTimeoutMs: 5000, ...extra };
}

async function trust(ssh: TestSsh): Promise<void> {
  await writeFile(
    join(ssh.dir, 'known_hosts'),
    `[127.0.0.1]:${ssh.port} ${ssh.hostKeyType} ${ssh.hostKey.toString('base64')}\n`,
  );
}

function closeAfter(t: TestContext, client: ControlClient): ControlClient {
  t.after(() => client.close());
  return client;
}

test('an unknown host is refused with its fingerprint unless onUnknownHost accepts it', async (t) => {
  const ssh = await startSsh(t);
  const asked: UnknownHost[] = [];
  await assert.rejects(
    openRemoteControl(targetOf(ssh), options(ssh, { onUnknownHost: (host) => (asked.push(host), false) })),
    (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.kind, 'host-key-unknown');
      assert.ok(error.message.includes(fingerprintOf(ssh.hostKey)), error.message);
      assert.match(error.message, /--accept-new/);
      return true;
    },
  );
  assert.equal(asked.length, 1);
  assert.equal(asked[0]?.name, `[127.0.0.1]:${ssh.port}`);
  assert.equal(asked[0]?.fingerprint, fingerprintOf(ssh.hostKey));
  assert.equal(ssh.seen.users.length, 0, 'no authentication before the host key is trusted');
  // Accepted: the key is recorded and the session works.
  const client = closeAfter(
    t,
    await openRemoteControl(targetOf(ssh), options(ssh, { onUnknownHost: () => true })),
  );
  const hello = await client.call('hello', { protocol: PROTOCOL_VERSION, client: 'test' });
  assert.equal(hello.server, 's1');
  const recorded = await readFile(join(ssh.dir, 'known_hosts'), 'utf8');
  assert.equal(recorded, `[127.0.0.1]:${ssh.port} ssh-ed25519 ${ssh.hostKey.toString('base64')}\n`);
  assert.deepEqual(ssh.seen.subsystems, ['vigil-control']);
  // Known now: no question asked.
  let askedAgain = false;
  const again = closeAfter(
    t,
    await openRemoteControl(targetOf(ssh), options(ssh, { onUnknownHost: () => (askedAgain = true) })),
  );
  assert.equal((await again.call('status.get', {})).node, 's1');
  assert.equal(askedAgain, false);
});

test('a changed host key is refused naming the file and line, without asking', async (t) => {
  const ssh = await startSsh(t);
  const other = newKeyPair().public.split(' ')[1] as string;
  const file = join(ssh.dir, 'known_hosts');
  await writeFile(file, `# line 1\n# line 2\n[127.0.0.1]:${ssh.port} ssh-ed25519 ${other}\n`);
  let asked = false;
  await assert.rejects(
    openRemoteControl(targetOf(ssh), options(ssh, { onUnknownHost: () => (asked = true) })),
    (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.kind, 'host-key-changed');
      assert.ok(error.permanent);
      assert.ok(error.message.startsWith(`host key for 127.0.0.1:${ssh.port} changed`), error.message);
      assert.ok(error.message.includes(`${file} line 3 says ${fingerprintOf(Buffer.from(other, 'base64'))}`));
      assert.ok(error.message.includes(fingerprintOf(ssh.hostKey)));
      assert.match(error.message, /remove that line/);
      return true;
    },
  );
  assert.equal(asked, false);
  assert.equal(ssh.seen.users.length, 0);
});

test('a revoked host key is refused even for a host known by it', async (t) => {
  const ssh = await startSsh(t);
  const key = ssh.hostKey.toString('base64');
  await writeFile(
    join(ssh.dir, 'known_hosts'),
    `[127.0.0.1]:${ssh.port} ssh-ed25519 ${key}\n@revoked * ssh-ed25519 ${key}\n`,
  );
  await assert.rejects(openRemoteControl(targetOf(ssh), options(ssh)), (error: unknown) => {
    assert.ok(error instanceof RemoteError && error.kind === 'host-key-revoked', String(error));
    assert.match(error.message, /is revoked in .*known_hosts line 2/);
    return true;
  });
});

test('status over the endpoint subsystem; notifications flow', async (t) => {
  const ssh = await startSsh(t);
  await trust(ssh);
  const client = closeAfter(t, await openRemoteControl(targetOf(ssh), options(ssh)));
  const first = await client.call('status.subscribe', {});
  assert.equal(first.cluster.name, 'demo');
  const next = new Promise<string>((resolve) => client.on('status', (snapshot) => resolve(snapshot.at)));
  ssh.backend.update((snapshot) => (snapshot.at = '2030-01-01T00:00:00.000Z'));
  assert.equal(await next, '2030-01-01T00:00:00.000Z');
  assert.deepEqual(ssh.seen.users, ['tester']);
  // A dead ssh-agent socket does not keep the identity files from being tried.
  const viaFile = closeAfter(
    t,
    await openRemoteControl(targetOf(ssh), options(ssh, { agentSocket: join(ssh.dir, 'no-agent.sock') })),
  );
  assert.equal((await viaFile.call('status.get', {})).node, 's1');
});

test('--via openssh: direct-streamlocal to the control socket, else exec of vigil bridge', async (t) => {
  const ssh = await startSsh(t, { noSubsystem: true });
  await trust(ssh);
  const target = targetOf(ssh, { method: 'openssh' });
  const client = closeAfter(t, await openRemoteControl(target, options(ssh)));
  assert.equal((await client.call('status.get', {})).node, 's1');
  assert.deepEqual(ssh.seen.streamlocal, [ssh.control.socket]);
  assert.deepEqual(ssh.seen.exec, []);
  // The endpoint method against a plain sshd says what to do.
  await assert.rejects(
    openRemoteControl(targetOf(ssh), options(ssh)),
    /does not serve the vigil-control subsystem.*--via openssh/,
  );

  const noForward = await startSsh(t, { noSubsystem: true, noStreamLocal: true });
  await trust(noForward);
  const bridged = closeAfter(
    t,
    await openRemoteControl(targetOf(noForward, { method: 'openssh' }), options(noForward)),
  );
  const status = await bridged.call('status.get', {});
  assert.equal(status.node, 's1');
  assert.deepEqual(noForward.seen.exec, [`vigil bridge --socket ${noForward.control.socket}`]);
  await bridged.call('command', { command: { op: 'cluster-suspend' } });
  assert.equal(noForward.control.backend.commands.at(-1)?.command.op, 'cluster-suspend');
});

test('ProxyJump: the node is reached through a jump host, both host keys checked', async (t) => {
  const node = await startSsh(t);
  const jump = await startSsh(t);
  const file = join(node.dir, 'known_hosts');
  await writeFile(file, `[127.0.0.1]:${node.port} ssh-ed25519 ${node.hostKey.toString('base64')}\n`);
  const target = targetOf(node, {
    proxyJump: {
      host: 'bastion',
      hostname: '127.0.0.1',
      port: jump.port,
      user: 'hop',
      identityFiles: [jump.identity],
    },
  });
  const asked: string[] = [];
  // The jump host is unknown: refused unless accepted, like any host.
  await assert.rejects(
    openRemoteControl(target, options(node, { onUnknownHost: (host) => (asked.push(host.name), false) })),
    /the host key of 127\.0\.0\.1:\d+ is not known/,
  );
  assert.deepEqual(asked, [`[127.0.0.1]:${jump.port}`]);
  assert.deepEqual(jump.seen.tcpip, []);
  const client = closeAfter(t, await openRemoteControl(target, options(node, { onUnknownHost: () => true })));
  assert.equal((await client.call('status.get', {})).node, 's1');
  assert.deepEqual(jump.seen.tcpip, [`127.0.0.1:${node.port}`]);
  assert.deepEqual(jump.seen.users, ['hop']);
  assert.deepEqual(node.seen.users, ['tester']);
});

test('a key the server does not accept, no key at all, nothing listening: clear failures', async (t) => {
  const ssh = await startSsh(t);
  await trust(ssh);
  const stranger = join(ssh.dir, 'stranger');
  await writeFile(stranger, newKeyPair().private, { mode: 0o600 });
  await assert.rejects(
    openRemoteControl(targetOf(ssh, { identityFiles: [stranger] }), options(ssh)),
    (error: unknown) => {
      assert.ok(error instanceof RemoteError && error.kind === 'auth', String(error));
      assert.match(error.message, /accepted none of the keys offered \(.*stranger\)/);
      return true;
    },
  );
  await assert.rejects(
    openRemoteControl(targetOf(ssh, { identityFiles: [join(ssh.dir, 'missing')] }), options(ssh)),
    /no SSH key to offer .*give --identity FILE or start ssh-agent/,
  );
  const port = ssh.port;
  await ssh.close();
  await assert.rejects(
    openRemoteControl(targetOf(ssh, { port }), options(ssh)),
    (error: unknown) => error instanceof RemoteError && error.kind === 'network',
  );
});

test('RemoteNode connects, reports drops as unreachable and reconnects with backoff', async (t) => {
  const ssh = await startSsh(t);
  await trust(ssh);
  const states: RemoteNodeState[] = [];
  const node = new RemoteNode(targetOf(ssh), { ...options(ssh), backoff: { initialMs: 20, maxMs: 100 } });
  t.after(() => node.stop());
  node.onState((state) => states.push(state));
  let connections = 0;
  node.onConnected(() => connections++);
  node.start();
  await waitFor('connected', () => node.state.state === 'connected');
  assert.equal(connections, 1);
  const client = node.client;
  assert.ok(client);
  assert.equal((await client.call('status.get', {})).node, 's1');
  ssh.dropAll();
  await waitFor('unreachable after the drop', () => states.some((state) => state.state === 'unreachable'));
  await waitFor('connected again', () => connections === 2 && node.state.state === 'connected');
  assert.notEqual(node.client, client);
  assert.deepEqual(
    states.map((state) => state.state),
    ['connecting', 'connected', 'unreachable', 'connecting', 'connected'],
  );
  const drop = states[2];
  assert.ok(drop?.state === 'unreachable' && drop.retryAt !== null && drop.reason.length > 0);
  node.stop();
  assert.equal(node.state.state, 'stopped');
  assert.equal(node.client, undefined);
});

test('RemoteNode: host key trouble waits for retry(); network trouble backs off and doubles', async (t) => {
  const ssh = await startSsh(t);
  const file = join(ssh.dir, 'known_hosts');
  let accept = false;
  const node = new RemoteNode(targetOf(ssh), {
    ...options(ssh),
    onUnknownHost: () => accept,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  t.after(() => node.stop());
  node.start();
  const refused = await waitFor('refused', () =>
    node.state.state === 'unreachable' ? node.state : undefined,
  );
  assert.equal(refused.retryAt, null);
  assert.match(refused.reason, /not known/);
  accept = true;
  node.retry();
  await waitFor('connected after retry', () => node.state.state === 'connected');
  assert.match(await readFile(file, 'utf8'), /ssh-ed25519/);
  node.stop();

  // A node that never answers: delays 10, 20, 40, 40 ms.
  let now = 0;
  const delays: number[] = [];
  const down = new RemoteNode(targetOf(ssh), {
    ...options(ssh),
    now: () => now,
    connect: () => Promise.reject(new RemoteError('network', 'down')),
    backoff: { initialMs: 10, maxMs: 40 },
  });
  t.after(() => down.stop());
  down.onState((state) => {
    if (state.state === 'unreachable' && state.retryAt !== null) delays.push(state.retryAt - now);
    now += 1;
  });
  down.start();
  await waitFor('four failures', () => delays.length >= 4);
  down.stop();
  assert.deepEqual(delays.slice(0, 4), [10, 20, 40, 40]);
});
