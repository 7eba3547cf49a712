// The SSH endpoint inside a real vigild (one agent of the demo config, operators added): it listens
// where --ssh-listen says, logs its host key fingerprint, serves an operator over ssh2, audits the
// operator's command, keeps its host key across a restart, and --no-ssh leaves it off.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import ssh2 from 'ssh2';
import { parse, stringify } from 'yaml';
import { ControlClient } from '../../../src/control/client.js';
import { ControlError, ErrorCode, PROTOCOL_VERSION } from '../../../src/control/index.js';
import { startAgent, type AgentHandle } from '../../../src/demo/agent-process.js';
import { writeDemoCluster, type DemoCluster } from '../../../src/demo/cluster-config.js';
import { CONTROL_SUBSYSTEM } from '../../../src/remote/agent-endpoint.js';
import { fingerprintOf } from '../../../src/remote/host-key.js';
import { waitFor } from '../cluster/harness.js';

const { Client, utils } = ssh2;

const ports = { heartbeatPort: 44500, peerPort: 44501, sshPort: 44502, webPort: 44580 };
const admin = utils.generateKeyPairSync('ed25519', { comment: 'ada@test' });
const viewer = utils.generateKeyPairSync('ed25519', { comment: 'vic@test' });

async function demoWithOperators(t: TestContext): Promise<DemoCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ssh-process-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const demo = await writeDemoCluster(dir, { ...ports, webHost: '127.0.0.100' });
  const config = parse(readFileSync(demo.configFile, 'utf8')) as Record<string, unknown>;
  config.operators = [
    { name: 'ada', key: admin.public, role: 'admin' },
    { name: 'vic', key: viewer.public, role: 'viewer' },
  ];
  writeFileSync(demo.configFile, stringify(config));
  return demo;
}

function start(t: TestContext, demo: DemoCluster, extraArgs: string[]): AgentHandle {
  const s = demo.servers[0];
  assert.ok(s);
  const handle = startAgent(
    {
      name: s.name,
      configFile: demo.configFile,
      stateDir: s.stateDir,
      socket: s.socket,
      logFile: s.logFile,
      outputFile: s.outputFile,
    },
    { extraArgs },
  );
  t.after(() => handle.stop());
  return handle;
}

interface Listening {
  port: number;
  fingerprint: string;
}

/** The n-th `ssh-listening` record of the agent's log (one per start). */
async function listening(demo: DemoCluster, handle: AgentHandle, nth: number): Promise<Listening> {
  const s = demo.servers[0];
  assert.ok(s);
  return waitFor(
    `vigild start ${nth} to listen for SSH`,
    () => {
      if (handle.exit) throw new Error(`vigild exited: ${readFileSync(s.outputFile, 'utf8')}`);
      const records = readFileSync(s.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"ssh-listening"'))
        .map((line) => JSON.parse(line) as { fields: { addresses: string[]; fingerprint: string } });
      const record = records[nth - 1];
      if (!record) return undefined;
      const port = Number(record.fields.addresses[0]?.split(':').pop());
      return { port, fingerprint: record.fields.fingerprint };
    },
    15_000,
  );
}

async function control(t: TestContext, at: Listening, privateKey: string): Promise<ControlClient> {
  const client = new Client();
  t.after(() => client.end());
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: at.port,
      username: 'ops',
      privateKey,
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === at.fingerprint,
    });
  });
  const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
    client.subsys(CONTROL_SUBSYSTEM, (error, stream) => (error ? reject(error) : resolve(stream))),
  );
  const result = new ControlClient(channel, 'vigild over ssh');
  await result.call('hello', { protocol: PROTOCOL_VERSION });
  return result;
}

test('vigild serves operators over SSH, audits their commands and keeps its host key', async (t) => {
  const demo = await demoWithOperators(t);
  const s = demo.servers[0];
  assert.ok(s);
  const first = start(t, demo, ['--ssh-listen', '127.0.0.1:0']);
  const one = await listening(demo, first, 1);
  assert.match(one.fingerprint, /^SHA256:/);
  // Until an operator connects, the agent has not loaded ssh2 (memory an idle agent does not need).
  const sshBinding = join(
    import.meta.dirname,
    '../../../../node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node',
  );
  const loadsBinding = () => readFileSync(`/proc/${first.pid}/maps`, 'utf8').includes('sshcrypto.node');
  assert.ok(!readFileSync(s.logFile, 'utf8').includes('"ssh-library-loaded"'));
  if (existsSync(sshBinding))
    assert.equal(loadsBinding(), false, 'ssh2 native binding mapped before any connection');

  const ada = await control(t, one, admin.private);
  assert.ok(readFileSync(s.logFile, 'utf8').includes('"ssh-library-loaded"'));
  if (existsSync(sshBinding)) assert.equal(loadsBinding(), true, 'ssh2 loaded for the first connection');
  assert.equal((await ada.call('status.get', {})).node, 's1');
  await ada
    .call('command', { command: { op: 'monitor-suspend', monitor: 'web-pid' } })
    .catch(() => undefined);

  const vic = await control(t, one, viewer.private);
  assert.equal((await vic.call('status.get', {})).node, 's1');
  const refused = await vic.call('command', { command: { op: 'cluster-stop' } }).then(
    () => null,
    (error: unknown) => error as ControlError,
  );
  assert.equal(refused?.code, ErrorCode.Forbidden);

  const audit = await waitFor(
    'two audit entries',
    () => {
      const lines = readFileSync(join(s.stateDir, 'audit.log'), 'utf8').trim().split('\n').filter(Boolean);
      return lines.length >= 2 ? lines.map((line) => JSON.parse(line) as Record<string, unknown>) : undefined;
    },
    5000,
  );
  assert.equal(audit[0]?.operator, 'ada');
  assert.match(String(audit[0]?.source), /^127\.0\.0\.1:\d+$/);
  assert.equal(audit[1]?.operator, 'vic');
  assert.equal(audit[1]?.ok, false);

  ada.close();
  vic.close();
  const exit = await first.stop();
  assert.equal(exit.code, 0, 'SIGTERM closes the endpoint and the agent exits cleanly');

  const second = start(t, demo, ['--ssh-listen', '127.0.0.1:0']);
  const two = await listening(demo, second, 2);
  assert.equal(two.fingerprint, one.fingerprint, 'same host key after a restart');
  const again = await control(t, two, admin.private);
  assert.equal((await again.call('status.get', {})).node, 's1');
  again.close();
});

test('--no-ssh starts no endpoint; a taken SSH port is a startup error naming it', async (t) => {
  const demo = await demoWithOperators(t);
  const s = demo.servers[0];
  assert.ok(s);
  const off = start(t, demo, ['--no-ssh']);
  await waitFor(
    'the control socket',
    () => {
      if (off.exit) throw new Error(`vigild exited: ${readFileSync(s.outputFile, 'utf8')}`);
      return readFileSync(s.logFile, 'utf8').includes('"control-listening"') || undefined;
    },
    15_000,
  );
  assert.ok(!readFileSync(s.logFile, 'utf8').includes('"ssh-listening"'));
  await off.stop();

  // A listener of our own holds the port the agent is told to use.
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const taken = start(t, demo, ['--ssh-listen', `127.0.0.1:${port}`]);
  const exit = await taken.exited;
  assert.equal(exit.code, 2);
  assert.match(
    readFileSync(s.outputFile, 'utf8'),
    new RegExp(`SSH port ${port} on 127\\.0\\.0\\.1 is already in use`),
  );
});
