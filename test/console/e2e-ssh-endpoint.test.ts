// The real console in tmux, reaching three real agents through their own SSH endpoints (subsystem
// vigil-control) as an operator with keys of its own: it shows the servers, moves web, suspends and
// resumes a monitor, acknowledges alerts as ada; a viewer's key may not move a group; a changed host
// key is refused, naming the known_hosts file and line; :collect writes a bundle with every node's
// log and status. Every outcome is also read from the agents (or the bundle).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { connectUnix, type AlertEntry } from '../../src/control/index.js';
import { runCli, waitFor, type TestCluster } from '../process/cluster/harness.js';
import { OperatorHome, clusterWithOperators, endpointHostKeys } from './remote-setup.js';
import { ConsoleWindow, hasTmux } from './tmux-window.js';

const ports = { heartbeatPort: 45200, peerPort: 45201, webPort: 45280 };
const sshPort = ports.heartbeatPort + 2; // what TestCluster gives the endpoints
const allConnected = /s1 ✔ connected +s2 ✔ connected +s3 ✔ connected/;

async function alerts(cluster: TestCluster, server: string): Promise<AlertEntry[]> {
  const client = await connectUnix(cluster.server(server).socket, 2000);
  try {
    return await client.call('alerts.list', {}, 2000);
  } finally {
    client.close();
  }
}

function auditEntries(cluster: TestCluster): Record<string, unknown>[] {
  return cluster.demo.servers.flatMap((server) => {
    let text: string;
    try {
      text = readFileSync(join(server.stateDir, 'audit.log'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  });
}

test(
  'the console over the agents’ SSH endpoints: status, move, suspend, ack, roles, collect, host keys',
  { skip: !hasTmux && 'tmux is not installed' },
  async (t) => {
    const home = OperatorHome.create(t);
    const cluster = await clusterWithOperators(t, ports, home);
    const hostKeys = await endpointHostKeys(cluster);
    for (const server of cluster.demo.servers)
      home.trust(server.address, sshPort, hostKeys.get(server.name) as string);
    const nodes = ['--node', 's1', '--node', 's2', '--node', 's3', '--ssh-port', String(sshPort)];
    const ada = ConsoleWindow.start(t, 'ada', ['console', ...nodes], home.vars());

    await t.test('1. the screen shows three servers up', async () => {
      await ada.shows(allConnected, 40_000);
      const tree = await ada.shows(/web +✔ online +on s1/, 20_000);
      assert.match(tree, /s1 +✔ up/);
      assert.match(tree, /s2 +✔ up/);
      assert.match(tree, /s3 +✔ up/);
      const status = await cluster.status('s2');
      assert.deepEqual(
        status.servers.map((s) => `${s.name} ${s.state}`),
        ['s1 up', 's2 up', 's3 up'],
      );
    });

    await t.test('2. keystrokes move web to s2', async () => {
      await ada.confirm('move web s2', /Move web from s1 to s2\? Clients of web lose service while it moves/);
      await ada.shows(/web +✔ online +on s2/, 30_000);
      await cluster.groupOnline('s3', 'web', 's2', 10_000);
      const moved = auditEntries(cluster).find((entry) => entry.operator === 'ada' && entry.ok === true);
      assert.ok(moved, 'the move is audited as ada’s');
    });

    await t.test('3. a monitor is suspended by keystroke, then resumed', async () => {
      await ada.confirm('suspend web-pid', /Suspend monitor web-pid\?/);
      await ada.shows(/web-pid +\S+ suspended/, 15_000);
      await ada.shows(/monitor web-pid is suspended/, 15_000);
      const suspended = await cluster.status('s2');
      assert.equal(suspended.monitors.find((m) => m.name === 'web-pid')?.suspended, true);

      await ada.confirm('resume web-pid', /Resume monitor web-pid\?/);
      await ada.shows(/monitor web-pid is resumed/, 15_000);
      const screen = await ada.shows(/web-pid +\S+ (?!suspended)\w+/, 15_000);
      assert.doesNotMatch(screen, /web-pid +\S+ suspended/);
      const resumed = await cluster.status('s2');
      assert.equal(resumed.monitors.find((m) => m.name === 'web-pid')?.suspended, false);
    });

    await t.test('4. an alert is acknowledged from the console as ada', async () => {
      // The web service dies: its monitor raises alerts and reactivates it.
      const pid = cluster.servicePid('s2', 'web', 'web-service');
      assert.ok(pid, 'web runs on s2');
      process.kill(pid, 'SIGKILL');
      const raised = await waitFor(
        'the monitor’s alerts',
        async () => {
          const list = await alerts(cluster, 's1');
          return list.some((a) => a.kind === 'recovery-reactivate' && a.ack === null) ? list : undefined;
        },
        30_000,
      );
      const ids = raised.filter((a) => a.ack === null).map((a) => a.id);
      await ada.confirm('ack all', /Acknowledge every alert\?/);
      await ada.shows(/acknowledged \d+ alerts?/, 15_000);
      ada.keys('Tab', 'Tab'); // the Alerts pane
      await ada.shows(/✓ ada/, 15_000);
      const acked = await waitFor(
        'the alerts acknowledged by ada on every server',
        async () => {
          for (const server of ['s1', 's3']) {
            const list = await alerts(cluster, server);
            if (!ids.every((id) => list.find((a) => a.id === id)?.ack?.by === 'ada')) return undefined;
          }
          return true;
        },
        15_000,
      );
      assert.equal(acked, true);
      ada.keys('Tab', 'Tab'); // back to the tree
      await ada.shows(/web +✔ online/, 15_000);
    });

    await t.test('5. a viewer’s key cannot move a group', async () => {
      const vic = ConsoleWindow.start(
        t,
        'vic',
        ['console', ...nodes, '--identity', home.viewerKey],
        home.vars(),
      );
      await vic.shows(allConnected, 40_000);
      await vic.shows(/web +✔ online +on s2/, 20_000);
      await vic.confirm('move web s3', /Move web from s2 to s3\?/);
      await vic.shows(/refused: .*operator vic \(viewer\) may not move groups: needs role operator/, 15_000);
      const refusal = await waitFor(
        'the refusal in the audit log',
        () => auditEntries(cluster).find((entry) => entry.operator === 'vic'),
        10_000,
      );
      assert.equal(refusal.ok, false);
      const status = await cluster.status('s1');
      const web = status.groups.find((g) => g.name === 'web');
      assert.equal(web?.server, 's2');
      assert.equal(web?.state, 'online');
    });

    // Before 6, which changes known_hosts: ada's console collects through its connections.
    await t.test('7. :collect writes a bundle with a folder per node', async () => {
      ada.keys(':collect', 'Enter');
      const screen = await ada.shows(/written: \S+\.tar\.gz/, 60_000);
      assert.match(screen, /collected 3 of 3 servers/);
      const bundle = /written: (\S+\.tar\.gz)/.exec(screen)?.[1] as string;
      assert.equal(dirname(bundle), ada.dir, 'written where the console was started');
      const listing = execFileSync('tar', ['-tzf', bundle], { encoding: 'utf8' }).trim().split('\n');
      const root = listing[0] as string;
      assert.match(root, /^vigil-logs-demo-\d{8}-\d{6}\/$/);
      for (const file of ['manifest.json', 'cluster-config.yaml', 'alerts-timeline.jsonl'])
        assert.ok(listing.includes(`${root}${file}`), `${file} in ${listing.join(', ')}`);
      const read = (file: string) =>
        execFileSync('tar', ['-xzOf', bundle, `${root}${file}`], { encoding: 'utf8' });
      for (const server of ['s1', 's2', 's3']) {
        assert.ok(listing.includes(`${root}nodes/${server}/vigild.log`), `${server}'s log`);
        assert.equal((JSON.parse(read(`nodes/${server}/status.json`)) as { node: string }).node, server);
        // The node's own log: its SSH endpoint started with its own host key.
        const fingerprint = /"fingerprint":"(SHA256:[^"]+)"/.exec(
          readFileSync(cluster.server(server).logFile, 'utf8'),
        )?.[1];
        assert.ok(
          fingerprint && read(`nodes/${server}/vigild.log`).includes(fingerprint),
          `${server}'s own log`,
        );
      }
      assert.match(read('alerts-timeline.jsonl'), /"by":"ada"/, 'the acknowledgement of 4');
      ada.keys('Escape');
      await ada.shows(/web +✔ online/, 10_000);
    });

    await t.test('6. a changed host key is refused, naming the file and line', async () => {
      // s2's line (the second) now holds another ed25519 key than the one s2 offers.
      const lines = readFileSync(home.knownHosts, 'utf8').trim().split('\n');
      const wrongKey = home.viewerPublic.split(' ').slice(0, 2).join(' ');
      lines[1] = `${(lines[1] as string).split(' ')[0]} ${wrongKey}`;
      writeFileSync(home.knownHosts, `${lines.join('\n')}\n`);
      const changed = new RegExp(
        `host key for 127\\.0\\.0\\.2:${sshPort} changed: .* but ${home.knownHosts} line 2 says`,
      );

      const cli = await runCli(['status', '--node', 's2', '--ssh-port', String(sshPort)], 20_000, home.env());
      assert.equal(cli.code, 2, cli.stderr);
      assert.match(cli.stderr, changed);

      const again = ConsoleWindow.start(t, 'changed', ['console', ...nodes], home.vars());
      const screen = await again.shows(/s1 ✔ connected +s2 ✖ unreachable +s3 ✔ connected/, 40_000);
      assert.match(screen.replace(/\s*\n\s*/g, ' '), changed);
    });
  },
);
