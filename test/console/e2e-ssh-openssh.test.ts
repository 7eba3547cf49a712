// The real console in tmux, reaching three real agents through real OpenSSH sshd processes (one per
// node, on its loopback address) with --via openssh: a direct-streamlocal channel to each agent's
// control socket. It shows the servers and moves web by keystroke; a changed sshd host key is refused
// by the CLI and the console, naming the known_hosts file and line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../process/cluster/harness.js';
import { OperatorHome, SSHD, Sshd, clusterWithOperators, hasSshd, isRoot } from './remote-setup.js';
import { ConsoleWindow, hasTmux } from './tmux-window.js';

const ports = { heartbeatPort: 45210, peerPort: 45211, webPort: 45281 };
const sshdPort = 45222;

test(
  'the console through OpenSSH sshd (--via openssh): status, move, changed host key',
  {
    skip:
      (!hasTmux && 'tmux is not installed') ||
      (!hasSshd && `OpenSSH's sshd (${SSHD}) and ssh-keygen are not installed (Debian: openssh-server)`) ||
      (!isRoot && 'needs root: each node’s sshd runs in a mount namespace of its own'),
  },
  async (t) => {
    const home = OperatorHome.create(t);
    const cluster = await clusterWithOperators(t, ports, home);
    const sshds = cluster.demo.servers.map(
      (server) => new Sshd(t, server.address, sshdPort, server.dir, [home.adminPublic]),
    );
    for (const sshd of sshds) {
      await sshd.listening();
      home.trust(sshd.address, sshdPort, sshd.hostKeyLine);
    }
    const via = ['--via', 'openssh', '--ssh-port', String(sshdPort)];
    const nodes = ['--node', 's1', '--node', 's2', '--node', 's3', ...via];

    await t.test('the CLI reaches an agent through sshd', async () => {
      const cli = await runCli(['status', '--node', 's3', ...via, '--json'], 20_000, home.env());
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal((JSON.parse(cli.stdout) as { node: string }).node, 's3');
      const log = sshds[2]?.log ?? '';
      assert.match(log, /Accepted publickey for root from 127\.0\.0\.1/);
      // The stream to the socket, not the fallback of running vigil bridge.
      assert.doesNotMatch(log, /Starting session: command/);
    });

    const window = ConsoleWindow.start(t, 'openssh', ['console', ...nodes], home.vars());

    await t.test('1. the screen shows three servers up', async () => {
      await window.shows(/s1 ✔ connected +s2 ✔ connected +s3 ✔ connected/, 40_000);
      const tree = await window.shows(/web +✔ online +on s1/, 20_000);
      assert.match(tree, /s1 +✔ up/);
      assert.match(tree, /s2 +✔ up/);
      assert.match(tree, /s3 +✔ up/);
      const status = await cluster.status('s3');
      assert.deepEqual(
        status.servers.map((s) => `${s.name} ${s.state}`),
        ['s1 up', 's2 up', 's3 up'],
      );
    });

    await t.test('2. keystrokes move web to s2', async () => {
      await window.confirm(
        'move web s2',
        /Move web from s1 to s2\? Clients of web lose service while it moves/,
      );
      await window.shows(/web +✔ online +on s2/, 30_000);
      await cluster.groupOnline('s1', 'web', 's2', 10_000);
      const answer = await fetch(cluster.webUrl, { signal: AbortSignal.timeout(5000) });
      assert.match(await answer.text(), /s2/);
    });

    await t.test('6. a changed sshd host key is refused, naming the file and line', async () => {
      // s3's line (the third) now holds another ed25519 key than the one its sshd offers.
      const lines = readFileSync(home.knownHosts, 'utf8').trim().split('\n');
      const wrongKey = home.viewerPublic.split(' ').slice(0, 2).join(' ');
      lines[2] = `${(lines[2] as string).split(' ')[0]} ${wrongKey}`;
      writeFileSync(home.knownHosts, `${lines.join('\n')}\n`);
      const changed = new RegExp(
        `host key for 127\\.0\\.0\\.3:${sshdPort} changed: .* but ${home.knownHosts} line 3 says`,
      );

      const cli = await runCli(['status', '--node', 's3', ...via], 20_000, home.env());
      assert.equal(cli.code, 2, cli.stderr);
      assert.match(cli.stderr, changed);
      assert.equal(cli.stdout, '', 'nothing of the node is shown');

      const again = ConsoleWindow.start(t, 'openssh-changed', ['console', ...nodes], home.vars());
      const screen = await again.shows(/s1 ✔ connected +s2 ✔ connected +s3 ✖ unreachable/, 40_000);
      assert.match(screen.replace(/\s*\n\s*/g, ' '), changed);
    });
  },
);
