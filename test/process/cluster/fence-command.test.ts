// The reboot fence action with real agents: `partition: {methods: [majority], action: reboot}` with
// `partition.commands.reboot` pointing at a recording script (a stand-in for systemctl that writes a
// marker file). s1, which runs web, is cut off from s2 and s3 (iptables on the test's own ports):
// alone it loses, stops web and runs the reboot command; s2 or s3 takes web over.
// Needs root and iptables; skipped otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, waitFor } from './harness.js';
import { canCut, heal, isolateS1 } from './isolate.js';

const ports = { heartbeatPort: 46010, peerPort: 46011, webPort: 46090 };
const chain = 'VIGIL-FENCECMD-TEST';
const skip = canCut ? false : 'needs root and iptables to cut loopback traffic between agents';
const dir = mkdtempSync(join(tmpdir(), 'vigil-fencecmd-'));
const marker = join(dir, 'reboots');
const script = join(dir, 'fake-reboot');

let cluster: TestCluster | undefined;

before(async () => {
  if (skip) return;
  heal(chain);
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${marker}'\n`);
  chmodSync(script, 0o755);
  cluster = await TestCluster.start(ports, {
    partition: {
      methods: ['majority'],
      action: 'reboot',
      commands: { reboot: `${script} --force`, poweroff: `${script} poweroff` },
    },
  });
  await cluster.healthy(30_000);
});

after(async () => {
  heal(chain);
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a server that loses partition resolution runs the configured reboot command', { skip }, async () => {
  const c = cluster!;
  await c.groupOnline('s1', 'web', 's1', 15_000);
  assert.equal(existsSync(marker), false, 'nobody rebooted while the cluster was whole');
  isolateS1(chain, ports);
  await waitFor('the reboot command to run', () => existsSync(marker), 20_000);
  assert.equal(readFileSync(marker, 'utf8').trim().split('\n')[0]?.trim(), '--force');
  const events = c.logEvents('s1', 'drastic-action');
  assert.equal(events[0]?.fields.action, 'reboot');
  assert.match(String(events[0]?.fields.reason), /majority|fewer than half/);
  await waitFor(
    'drastic-action-returned in s1 log',
    () => c.logEvents('s1', 'drastic-action-returned').length > 0,
    10_000,
  );
  // Only the losing side fences: s2 and s3 ran no reboot.
  for (const server of ['s2', 's3']) assert.deepEqual(c.logEvents(server, 'drastic-action'), []);
  await waitFor(
    'web to move to s2 or s3',
    async () => {
      const web = (await c.status('s2')).groups.find((g) => g.name === 'web');
      return web?.state === 'online' && (web.server === 's2' || web.server === 's3');
    },
    30_000,
  );
});
