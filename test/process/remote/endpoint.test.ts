// The agent's SSH endpoint over real TCP on loopback: a real ssh2 client with an operator's key opens
// the vigil-control subsystem; roles are enforced; unknown keys, passwords, shells and exec are
// refused; state-changing calls land in the audit log; the host key survives a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import ssh2, { type ClientChannel } from 'ssh2';
import { memoryLogger } from '../../../src/agent/logger.js';
import { AuditLog, type AuditEntry } from '../../../src/control/audit.js';
import { ControlClient } from '../../../src/control/client.js';
import { ControlError, ErrorCode, PROTOCOL_VERSION } from '../../../src/control/index.js';
import {
  AgentEndpoint,
  CONTROL_SUBSYSTEM,
  type EndpointOperator,
} from '../../../src/remote/agent-endpoint.js';
import { fingerprintOf, HOST_KEY_FILE } from '../../../src/remote/host-key.js';
import { FakeBackend } from '../../unit/control/fake-backend.js';
import { tempDir, waitFor } from '../../unit/control/helpers.js';

const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;

const alice = utils.generateKeyPairSync('ed25519', { comment: 'alice@test' });
const bob = utils.generateKeyPairSync('ed25519', { comment: 'bob@test' });
const mallory = utils.generateKeyPairSync('ed25519', { comment: 'mallory@test' });
const operators: EndpointOperator[] = [
  { name: 'alice', key: alice.public, role: 'operator' },
  { name: 'bob', key: bob.public, role: 'viewer' },
];

interface Setup {
  endpoint: AgentEndpoint;
  backend: FakeBackend;
  logger: ReturnType<typeof memoryLogger>;
  dir: string;
  port: number;
}

async function startEndpoint(t: TestContext, dir?: string): Promise<Setup> {
  const stateDir = dir ?? (await tempDir(t, 'vigil-ssh-'));
  const logger = memoryLogger();
  const backend = new FakeBackend();
  const audit = new AuditLog(join(stateDir, 'audit.log'), logger);
  const endpoint = new AgentEndpoint({
    backend,
    operators,
    stateDir,
    listen: [{ host: '127.0.0.1', port: 0 }],
    logger,
    audit: (entry) => audit.record(entry),
    authTimeoutMs: 3000,
  });
  await endpoint.start();
  t.after(() => endpoint.close());
  const port = endpoint.addresses()[0]?.port ?? 0;
  return { endpoint, backend, logger, dir: stateDir, port };
}

interface Login {
  privateKey?: string;
  password?: string;
}

/** Connects and authenticates; resolves with the client, or rejects with ssh2's error. */
function connect(t: TestContext, setup: Setup, login: Login): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    t.after(() => client.end());
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: setup.port,
      username: 'whoever',
      readyTimeout: 5000,
      ...login,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === setup.endpoint.hostKey.fingerprint,
    });
  });
}

function subsystem(client: Client, name: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) =>
    client.subsys(name, (error, channel) => (error ? reject(error) : resolve(channel))),
  );
}

async function controlFor(t: TestContext, setup: Setup, privateKey: string): Promise<ControlClient> {
  const client = await connect(t, setup, { privateKey });
  const control = new ControlClient(await subsystem(client, CONTROL_SUBSYSTEM), 'vigild over ssh');
  assert.equal((await control.call('hello', { protocol: PROTOCOL_VERSION })).server, 's1');
  return control;
}

async function failure(promise: Promise<unknown>): Promise<ControlError> {
  try {
    await promise;
  } catch (error) {
    return error as ControlError;
  }
  throw new Error('expected the call to fail');
}

test('an operator key opens vigil-control, reads the status and moves a group', async (t) => {
  const setup = await startEndpoint(t);
  const control = await controlFor(t, setup, alice.private);
  const status = await control.call('status.get', {});
  assert.equal(status.cluster.name, 'demo');
  const moved = await control.call('command', { command: { op: 'group-move', group: 'web', to: 's2' } });
  assert.equal(moved.message, 'accepted group-move');
  assert.deepEqual(setup.backend.commands, [
    { command: { op: 'group-move', group: 'web', to: 's2' }, operator: 'alice' },
  ]);
});

test('a viewer key reads the status but may not move a group (Forbidden)', async (t) => {
  const setup = await startEndpoint(t);
  const control = await controlFor(t, setup, bob.private);
  assert.equal((await control.call('status.get', {})).node, 's1');
  const error = await failure(
    control.call('command', { command: { op: 'group-move', group: 'web', to: 's2' } }),
  );
  assert.equal(error.code, ErrorCode.Forbidden);
  assert.equal(error.code, 1002);
  assert.equal(error.message, 'operator bob (viewer) may not move groups: needs role operator');
  assert.equal(setup.backend.commands.length, 0);
  // The refusal does not end the session.
  assert.ok(Array.isArray(await control.call('alerts.list', {})));
});

test('an unknown key and a password are rejected, counted and logged once per kind', async (t) => {
  const setup = await startEndpoint(t);
  await assert.rejects(connect(t, setup, { privateKey: mallory.private }), /authentication methods failed/);
  await assert.rejects(connect(t, setup, { privateKey: mallory.private }), /authentication methods failed/);
  await assert.rejects(connect(t, setup, { password: 'hunter2' }), /authentication methods failed/);
  assert.ok((setup.endpoint.rejections['unknown-key'] ?? 0) >= 2, JSON.stringify(setup.endpoint.rejections));
  assert.ok((setup.endpoint.rejections.password ?? 0) >= 1, JSON.stringify(setup.endpoint.rejections));
  const logged = setup.logger.records.filter(
    (record) => record.event === 'ssh-rejected' && record.fields.kind === 'unknown-key',
  );
  assert.equal(logged.length, 1, 'logged once, counted after that');
});

test('no shell, exec, other subsystems or port forwarding', async (t) => {
  const setup = await startEndpoint(t);
  const client = await connect(t, setup, { privateKey: alice.private });
  await assert.rejects(
    new Promise((resolve, reject) =>
      client.exec('id', (error, stream) => (error ? reject(error) : resolve(stream))),
    ),
  );
  await assert.rejects(
    new Promise((resolve, reject) =>
      client.shell((error, stream) => (error ? reject(error) : resolve(stream))),
    ),
  );
  await assert.rejects(subsystem(client, 'sftp'));
  await assert.rejects(
    new Promise((resolve, reject) =>
      client.forwardOut('127.0.0.1', 1, '127.0.0.1', 22, (error, stream) =>
        error ? reject(error) : resolve(stream),
      ),
    ),
  );
  // The connection itself is still good for the control subsystem.
  const control = new ControlClient(await subsystem(client, CONTROL_SUBSYSTEM));
  assert.equal((await control.call('status.get', {})).node, 's1');
});

test('the audit log records the operator, source and result of a command and of a refusal', async (t) => {
  const setup = await startEndpoint(t);
  const control = await controlFor(t, setup, alice.private);
  await control.call('command', { command: { op: 'group-stop', group: 'web' } });
  const viewer = await controlFor(t, setup, bob.private);
  await failure(viewer.call('alerts.ack', { ids: 'all' }));
  await control.call('status.get', {});
  const path = join(setup.dir, 'audit.log');
  const entries = await waitFor('two audit entries', () => {
    const lines = readFileSync(path, 'utf8').trim().split('\n').filter(Boolean);
    return lines.length >= 2 ? lines.map((line) => JSON.parse(line) as AuditEntry) : null;
  });
  assert.equal(entries.length, 2, 'reads are not audited');
  const [command, ack] = entries;
  assert.equal(command?.operator, 'alice');
  assert.match(command?.source ?? '', /^127\.0\.0\.1:\d+$/);
  assert.equal(command?.method, 'command');
  assert.deepEqual(command?.params, { command: { op: 'group-stop', group: 'web' } });
  assert.equal(command?.ok, true);
  assert.deepEqual(command?.result, { message: 'accepted group-stop' });
  assert.ok(!Number.isNaN(Date.parse(command?.at ?? '')));
  assert.equal(ack?.operator, 'bob');
  assert.equal(ack?.ok, false);
  assert.deepEqual(ack?.result, {
    code: ErrorCode.Forbidden,
    message: 'operator bob (viewer) may not acknowledge alerts: needs role operator',
  });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('the host key is created 0600, reused across restarts, and fingerprinted like OpenSSH', async (t) => {
  const first = await startEndpoint(t);
  const path = join(first.dir, HOST_KEY_FILE);
  assert.equal(first.endpoint.hostKey.created, true);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.match(first.endpoint.hostKey.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  const logged = first.logger.records.find((record) => record.event === 'ssh-listening');
  assert.equal(logged?.fields.fingerprint, first.endpoint.hostKey.fingerprint);
  await first.endpoint.close();

  const second = await startEndpoint(t, first.dir);
  assert.equal(second.endpoint.hostKey.created, false);
  assert.equal(second.endpoint.hostKey.fingerprint, first.endpoint.hostKey.fingerprint);
  // The client's hostVerifier checks the fingerprint it is shown against the saved one.
  const control = await controlFor(t, second, alice.private);
  assert.equal((await control.call('status.get', {})).node, 's1');

  let keygen: string | null = null;
  try {
    keygen = execFileSync('ssh-keygen', ['-lf', path], { encoding: 'utf8' });
  } catch {
    t.diagnostic('ssh-keygen not available; OpenSSH fingerprint comparison skipped');
  }
  if (keygen !== null) assert.ok(keygen.includes(first.endpoint.hostKey.fingerprint), keygen);
});

test('a port in use is a startup error naming the port', async (t) => {
  const first = await startEndpoint(t);
  const dir = await tempDir(t, 'vigil-ssh-');
  const endpoint = new AgentEndpoint({
    backend: new FakeBackend(),
    operators,
    stateDir: dir,
    listen: [{ host: '127.0.0.1', port: first.port }],
    logger: memoryLogger(),
  });
  await assert.rejects(
    endpoint.start(),
    new RegExp(`SSH port ${first.port} on 127\\.0\\.0\\.1 is already in use`),
  );
});
