// `vigil report` feeds a message monitor on a real agent: the error shows in `vigil status --json`,
// an ok report clears it, a report for a monitor of another type is refused, and each is audited.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { StatusSnapshot } from '../../../src/control/index.js';
import { TestCluster, waitFor } from './harness.js';

let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(
    { heartbeatPort: 45900, peerPort: 45901, webPort: 45980 },
    {
      extraMonitors: [
        {
          name: 'queue-check',
          type: 'message',
          interval: '30s',
          retries: 0,
          recovery: { target: 'batch', reactivate: 0, failover: 0, final: 'none' },
        },
      ],
    },
  );
  await cluster.healthy(30_000);
});

after(async () => {
  await cluster?.stop();
});

async function monitorOnS1(): Promise<StatusSnapshot['monitors'][number] | undefined> {
  const result = await cluster.cli(['status', '--json']);
  const status = JSON.parse(result.stdout) as StatusSnapshot;
  return status.monitors.find((m) => m.name === 'queue-check');
}

test('vigil report error puts the message monitor in error in vigil status --json; ok clears it', async () => {
  const before = await monitorOnS1();
  assert.equal(before?.state, 'ok');
  assert.equal(before?.last?.detail, 'no report yet');

  const sent = await cluster.cli(['report', 'queue-check', 'error', 'queue stuck for 10 min']);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(sent.stdout.trim(), 'reported error for monitor queue-check on s1');
  const failed = await waitFor(
    'queue-check in error',
    async () => {
      const monitor = await monitorOnS1();
      return monitor?.state === 'error' ? monitor : undefined;
    },
    10_000,
  );
  assert.equal(failed.last?.ok, false);
  assert.match(failed.last?.detail ?? '', /^local:[0-9]+ reported error: queue stuck for 10 min$/);

  const cleared = await cluster.cli(['report', 'queue-check', 'ok']);
  assert.equal(cleared.code, 0, cleared.stderr);
  await waitFor('queue-check ok again', async () => (await monitorOnS1())?.state === 'ok', 10_000);

  const audit = readFileSync(join(cluster.server('s1').stateDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { method: string; params: { ok: boolean }; ok: boolean });
  const reports = audit.filter((entry) => entry.method === 'monitor.report');
  assert.deepEqual(
    reports.map((entry) => [entry.params.ok, entry.ok]),
    [
      [false, true],
      [true, true],
    ],
  );
});

test('vigil report refuses a monitor that is not a message monitor, and bad usage', async () => {
  const refused = await cluster.cli(['report', 'web-pid', 'error']);
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr.trim(),
    'refused: monitor web-pid is of type pid; only message monitors take reports',
  );
  const unknown = await cluster.cli(['report', 'nope', 'ok']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim(), 'refused: no monitor nope; message monitors: queue-check');
  const usage = await cluster.cli(['report', 'queue-check', 'broken']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /the result must be ok or error, not "broken"/);
});
