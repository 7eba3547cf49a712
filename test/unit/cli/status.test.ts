// `vigil status` as an operator runs it, against a control server with a fake backend.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { ControlServer } from '../../../src/control/server.js';
import { FakeBackend, healthySnapshot } from '../control/fake-backend.js';
import { startServer, tempDir } from '../control/helpers.js';
import { vigil } from './run-vigil.js';

test('status of a healthy cluster: every part shown in words, exit 0', async (t) => {
  const { socket } = await startServer(t);
  const run = await vigil(['status', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  const out = run.stdout;
  assert.match(
    out,
    /^cluster demo \(as seen by s1 at \d\d:\d\d:\d\d\): service running, quorate; partition resolution: no decision \(no partition: every server is up\)$/m,
  );
  assert.match(out, /^ {2}s1 {2}up {2}this server$/m);
  assert.match(out, /^ {2}s2 {2}up {2}lan0 up 0\.4ms$/m);
  assert.match(out, /^ {2}web {4}online {2}on s1 {2}policy s1 > s2 > s3$/m);
  assert.match(out, /^ {6}web-service \(exec\): online$/m);
  assert.match(out, /^ {6}batch-job \(exec\): online$/m);
  assert.match(
    out,
    /web-pid {2}pid {2}ok {2}fails 0\/0 · reactivate 1\/3 · failover 0\/1 → stop-group {2}last ok \d\d:\d\d:\d\d: pid 4242 alive/,
  );
  assert.match(out, /^alerts: none unacknowledged$/m);
  assert.match(out, /^health: healthy$/m);
  assert.ok(!out.includes('\u001b['), 'no colour when stdout is not a terminal');
});

test('status of a degraded cluster marks the problems with "!" and exits 1', async (t) => {
  const backend = new FakeBackend();
  backend.update((snapshot) => {
    const s3 = snapshot.servers[2];
    if (s3) {
      s3.state = 'down';
      s3.links = [{ id: 'lan0', kind: 'lan', up: false, lastHeardMs: 5200, rttMs: null, loss: null }];
    }
    const batch = snapshot.groups[1];
    if (batch) Object.assign(batch, { state: 'offline', server: null });
    const monitor = snapshot.monitors[0];
    if (monitor) Object.assign(monitor, { state: 'error', failures: 1 });
    snapshot.alerts = { unacknowledged: 2, critical: 1 };
    snapshot.dropped = { replayed: 3 };
  });
  const { socket } = await startServer(t, {}, backend);
  const run = await vigil(['status', '--socket', socket]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /^! s3 {2}down {2}lan0 down \(silent 5\.2s\)$/m);
  assert.match(run.stdout, /^! batch {2}offline {2}nowhere {2}policy s3 > s2$/m);
  assert.match(run.stdout, /^! web-pid {2}pid {2}error/m);
  assert.match(run.stdout, /^dropped frames: replayed 3$/m);
  assert.match(run.stdout, /^alerts: 2 unacknowledged \(1 critical\); see vigil alerts$/m);
  assert.match(
    run.stdout,
    /^health: degraded: server s3 is down; group batch is offline; monitor web-pid is in error$/m,
  );
});

test('a group stopped by an operator is not a problem; a lost quorum is', async (t) => {
  const backend = new FakeBackend();
  backend.update((snapshot) => {
    snapshot.cluster.quorate = false;
    const batch = snapshot.groups[1];
    if (batch) Object.assign(batch, { state: 'offline', server: null, run: false });
  });
  const { socket } = await startServer(t, {}, backend);
  const run = await vigil(['status', '--socket', socket]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^ {2}batch {2}offline \(stopped by operator\) {2}nowhere/m);
  assert.match(run.stdout, /^health: degraded: the cluster has no quorum$/m);
});

test('status --json prints the snapshot as it is', async (t) => {
  const { socket } = await startServer(t);
  const run = await vigil(['status', '--json', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), healthySnapshot());
});

test('no agent answering is exit 2 with a message that says what to check; no stack trace', async (t) => {
  const dir = await tempDir(t);
  const socket = join(dir, 'vigild.sock');
  const run = await vigil(['status', '--socket', socket]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `vigil status: no vigild answers on ${socket}: is the agent running? (ENOENT)\n`);
  const viaEnv = await vigil(['status'], { VIGIL_SOCKET: socket });
  assert.equal(viaEnv.code, 2);
  assert.match(viaEnv.stderr, /no vigild answers on .*vigild\.sock/);
});

test('--demo uses the first demo server that answers, and says when none does', async (t) => {
  const cache = await tempDir(t);
  const none = await vigil(['status', '--demo'], { XDG_CACHE_HOME: cache });
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /the demo cluster is not running: no agent answers in .*vigil\/demo \(tried s1, s2, s3\); start it with: vigil demo/,
  );
  const s2Dir = join(cache, 'vigil', 'demo', 's2');
  await mkdir(s2Dir, { recursive: true });
  const backend = new FakeBackend();
  backend.update((snapshot) => (snapshot.node = 's2'));
  const server = new ControlServer(backend, { logger: memoryLogger() });
  await server.listenUnix(join(s2Dir, 'vigild.sock'));
  t.after(() => server.close());
  const run = await vigil(['status', '--demo'], { XDG_CACHE_HOME: cache });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /as seen by s2/);
});

test('SSH options without --node are refused (see test/unit/remote); wrong usage is exit 2', async () => {
  const remote = await vigil(['status', '--accept-new']);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /--accept-new goes with --node HOST/);
  const both = await vigil(['status', '--demo', '--socket', '/x']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give --socket or --demo, not both/);
  const extra = await vigil(['status', 'now']);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /unexpected argument "now"/);
});

test('an agent of another protocol version is exit 2 naming both versions', async (t) => {
  // A server that answers every hello with VersionMismatch, as a newer agent would.
  const { createServer } = await import('node:net');
  const dir = await tempDir(t);
  const socket = join(dir, 'new.sock');
  const server = createServer((connection) =>
    connection.on('data', () =>
      connection.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: 1004, message: 'this vigild speaks control protocol 2 and the client 1; use vigil and vigild of the same release' } })}\n`,
      ),
    ),
  );
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const run = await vigil(['status', '--socket', socket]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /speaks control protocol 2 and the client 1/);
});
