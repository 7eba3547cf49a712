// `vigil logs collect` against three real agents: one bundle with every server's whole log and
// status, the config without the key or secrets, and the alerts of all servers merged in time order;
// with one agent killed, the others are still collected and the dead one is recorded as failed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Manifest } from '../../../src/collect/collect.js';
import type { TimelineEntry } from '../../../src/collect/timeline.js';
import { connectUnix, type AlertEntry, type StatusSnapshot } from '../../../src/control/index.js';
import { runCli, TestCluster, waitFor } from '../cluster/harness.js';

const SECRET = 'hunter2-in-the-env';
let cluster: TestCluster;
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vigil-collect-'));
  cluster = await TestCluster.start({ heartbeatPort: 45000, peerPort: 45001, webPort: 45080 });
  // A secret in the config, as people put them there: restart the agents on the edited file.
  await Promise.all([...cluster.agents.values()].map((agent) => agent.stop(8000)));
  const config = parse(readFileSync(cluster.demo.configFile, 'utf8')) as {
    groups: { resources: { env?: Record<string, string> }[] }[];
  };
  const resource = config.groups[0]?.resources[0];
  assert.ok(resource?.env);
  resource.env.DB_PASSWORD = SECRET;
  // Operators for the SSH test: collecting needs role operator.
  (config as Record<string, unknown>).operators = (['opal', 'vic'] as const).map((name) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(work, name)]);
    const key = readFileSync(join(work, `${name}.pub`), 'utf8').trim();
    return { name, key, role: name === 'opal' ? 'operator' : 'viewer' };
  });
  writeFileSync(cluster.demo.configFile, stringify(config));
  for (const server of cluster.demo.servers) cluster.startAgent(server.name);
  await cluster.healthy(30_000);
  // Collecting goes through the peer channels, which may still be connecting when heartbeats say up.
  await cluster.peersConnected(30_000);
});

after(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function alertsOf(server: string): Promise<AlertEntry[]> {
  const client = await connectUnix(cluster.server(server).socket, 2000);
  try {
    return await client.call('alerts.list', {});
  } finally {
    client.close();
  }
}

function extract(file: string, into: string): string {
  mkdirSync(into);
  const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const [folder, ...others] = readdirSync(into);
  assert.deepEqual(others, [], 'one folder in the bundle');
  assert.ok(listed.every((path) => path.startsWith(`${folder}/`)));
  return join(into, folder as string);
}

test('one bundle: whole logs and status of every server, redacted config, merged alert timeline', async () => {
  // Alerts on several servers: s3 goes away (s1 and s2 each raise server-down) and comes back.
  await cluster.killAgent('s3');
  await waitFor(
    'server-down alerts on s1 and s2',
    async () => {
      const ids = new Set([...(await alertsOf('s1')), ...(await alertsOf('s2'))].map((a) => a.id));
      return ids.size >= 2;
    },
    30_000,
  );
  cluster.startAgent('s3');
  await cluster.healthy(30_000);
  // s2 collects from s3 over its peer channel, which reconnects after s3's restart on its own time.
  await cluster.peersConnected(30_000);
  await waitFor('s3 has the alerts of the others', async () => (await alertsOf('s3')).length >= 2, 15_000);
  const expectedIds = new Set(
    (await Promise.all(['s1', 's2', 's3'].map(alertsOf))).flat().map((alert) => alert.id),
  );

  const out = join(work, 'all.tar.gz');
  const run = await cluster.cli(['logs', 'collect', '--out', out], 's2', 60_000);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), out);
  for (const server of ['s1', 's2', 's3'])
    assert.match(run.stderr, new RegExp(`^${server}: collected \\(`, 'm'));
  assert.match(run.stderr, /collected 3 of 3 servers/);
  assert.equal(statSync(out).mode & 0o777, 0o600);

  const root = extract(out, join(work, 'all'));
  assert.match(root, /vigil-logs-demo-\d{8}-\d{6}$/);
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(manifest.cluster, 'demo');
  assert.equal(manifest.through, 's2');
  assert.deepEqual(manifest.failed, []);
  assert.deepEqual(
    manifest.nodes.map((node) => [node.name, node.ok, node.log?.source]),
    [
      ['s1', true, 'file'],
      ['s2', true, 'file'],
      ['s3', true, 'file'],
    ],
  );
  for (const server of ['s1', 's2', 's3']) {
    const log = readFileSync(join(root, 'nodes', server, 'vigild.log'), 'utf8');
    const records = log
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { at: string; event: string });
    assert.ok(records.length > 10, `${server}: a whole log, not a tail`);
    assert.ok(records.every((record) => !Number.isNaN(Date.parse(record.at)) && record.event));
    // The whole file as it was on disk when collected (it has grown since, never shrunk).
    const onDisk = readFileSync(cluster.server(server).logFile, 'utf8');
    assert.ok(onDisk.startsWith(log), `${server}: the bundle has its log file from the first byte`);
    assert.equal(manifest.nodes.find((node) => node.name === server)?.log?.bytes, Buffer.byteLength(log));
    const status = JSON.parse(
      readFileSync(join(root, 'nodes', server, 'status.json'), 'utf8'),
    ) as StatusSnapshot;
    assert.equal(status.node, server);
    assert.equal(status.cluster.name, 'demo');
  }
  // s3 was restarted: its log has both starts.
  const s3Starts = readFileSync(join(root, 'nodes/s3/vigild.log'), 'utf8').match(
    /"event":"control-listening"/g,
  );
  assert.ok((s3Starts?.length ?? 0) >= 2, 's3 log spans both of its runs');

  const config = readFileSync(join(root, 'cluster-config.yaml'), 'utf8');
  const key = readFileSync(cluster.demo.keyFile, 'utf8').trim();
  const everything = execFileSync('tar', ['-xzOf', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(!everything.includes(key), 'the cluster key is nowhere in the bundle');
  assert.ok(!everything.includes(SECRET), 'the secret is nowhere in the bundle');
  assert.match(config, /groups\[0\]\.resources\[0\]\.env\.DB_PASSWORD: the whole value/);
  const parsed = parse(config) as { cluster: { name: string; keyFile: string } };
  assert.equal(parsed.cluster.name, 'demo');
  assert.equal(parsed.cluster.keyFile, cluster.demo.keyFile, 'the key file path, not its contents');

  const timeline = readFileSync(join(root, 'alerts-timeline.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TimelineEntry);
  assert.deepEqual(new Set(timeline.map((entry) => entry.id)), expectedIds, 'each alert once');
  assert.equal(timeline.length, expectedIds.size);
  const times = timeline.map((entry) => Date.parse(entry.at));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'oldest first',
  );
  assert.ok(
    timeline.some((entry) => entry.kind === 'server-down' && entry.reportedBy.length === 3),
    'alerts gossiped to every server are merged into one entry',
  );
});

test('over SSH an operator may collect, a viewer is refused', async () => {
  const ssh = (key: string, out: string) =>
    runCli(
      [
        'logs',
        'collect',
        '--out',
        out,
        '--node',
        '127.0.0.1',
        '--ssh-port',
        '45002',
        '--identity',
        join(work, key),
        '--known-hosts',
        join(work, 'known_hosts'),
        '--accept-new',
      ],
      60_000,
      // No ssh-agent and no ~/.ssh/config of whoever runs the tests.
      { ...process.env, HOME: work, SSH_AUTH_SOCK: '' },
    );
  const refused = await ssh('vic', join(work, 'viewer.tar.gz'));
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /operator vic \(viewer\) may not collect logs: needs role operator/);
  assert.throws(() => statSync(join(work, 'viewer.tar.gz')), /ENOENT/);
  const out = join(work, 'operator.tar.gz');
  const allowed = await ssh('opal', out);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stderr, /collected 3 of 3 servers/);
  const listed = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' });
  for (const server of ['s1', 's2', 's3'])
    assert.match(listed, new RegExp(`/nodes/${server}/vigild\\.log$`, 'm'));
});

test('with one agent dead, the others are collected and the dead one is recorded as failed', async () => {
  await cluster.killAgent('s3');
  const out = join(work, 'partial.tar.gz');
  const run = await cluster.cli(['logs', 'collect', '--out', out], 's1', 60_000);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^s3: failed: /m);
  assert.match(run.stderr, /collected 2 of 3 servers \(failed: s3; see manifest\.json\)/);
  const root = extract(out, join(work, 'partial'));
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(
    manifest.failed.map((node) => node.name),
    ['s3'],
  );
  assert.match(manifest.failed[0]?.reason ?? '', /s3/);
  assert.deepEqual(readdirSync(join(root, 'nodes')).sort(), ['s1', 's2', 's3']);
  assert.deepEqual(readdirSync(join(root, 'nodes/s3')), [], 'nothing made up for s3');
  for (const server of ['s1', 's2']) assert.ok(statSync(join(root, 'nodes', server, 'vigild.log')).size > 0);
  // A second run may not overwrite the first.
  const again = await cluster.cli(['logs', 'collect', '--out', out], 's1');
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists; give another --out FILE, or --force/);
});
