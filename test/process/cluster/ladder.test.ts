// The recovery ladder on real agents. A message monitor driven by `vigil report` fails on one server:
// it reactivates its group twice, fails it over once, and (once the group is back there) stops it;
// `vigil status --json` and `vigil alerts` show each step and counter; `vigil monitor reset` clears
// the counters; a second monitor's counters start over after its quiet period (resetAfter), and its
// failures right after the restart are ignored (waitAfterStart). A warning lowers the server's
// health score, which every server shows in `vigil status`, and raises a monitor-warning alert.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AlertEntry, StatusSnapshot } from '../../../src/control/index.js';
import { TestCluster, waitFor } from './harness.js';

let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(
    { heartbeatPort: 46100, peerPort: 46101, webPort: 46180 },
    {
      extraMonitors: [
        {
          name: 'batch-check',
          type: 'message',
          target: 'batch',
          timing: 'active',
          interval: '30s',
          retries: 0,
          recovery: { reactivate: 2, failover: 1, final: 'stop-group' },
        },
        {
          name: 'web-quiet',
          type: 'message',
          target: 'web',
          timing: 'active',
          interval: '30s',
          retries: 0,
          waitAfterStart: '20s',
          recovery: { reactivate: 3, failover: 0, final: 'none', resetAfter: '3s' },
        },
        {
          name: 'warn-check',
          type: 'message',
          interval: '1s',
          timeout: '500ms',
          retries: 0,
          expire: '20s',
          whenExpired: 'warning',
          recovery: { target: 'web', reactivate: 0, failover: 0, final: 'none' },
        },
      ],
    },
  );
  await cluster.healthy(60_000);
});

after(async () => {
  await cluster?.stop();
});

async function monitorOn(server: string, name: string): Promise<StatusSnapshot['monitors'][number]> {
  const result = await cluster.cli(['status', '--json'], server);
  assert.equal(result.code, 0, result.stderr);
  const monitor = (JSON.parse(result.stdout) as StatusSnapshot).monitors.find((m) => m.name === name);
  assert.ok(monitor, `vigil status --json on ${server} has no monitor ${name}`);
  return monitor;
}

/** The recovery alerts `server` raised for `monitor`, oldest first. */
async function recoveryAlertEntries(server: string, monitor: string): Promise<AlertEntry[]> {
  const result = await cluster.cli(['alerts', '--all', '--json'], server);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as AlertEntry[])
    .filter((a) => a.server === server && a.kind.startsWith('recovery-') && a.message.includes(monitor))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

async function recoveryAlerts(server: string, monitor: string): Promise<string[]> {
  return (await recoveryAlertEntries(server, monitor)).map((a) => a.message);
}

test('a failing monitor reactivates twice, fails over once, then stops the group; reset clears it', async () => {
  await cluster.groupOnline('s3', 'batch', 's3', 30_000);
  const sent = await cluster.cli(['report', 'batch-check', 'error', 'queue stuck'], 's3');
  assert.equal(sent.code, 0, sent.stderr);

  // Each restart checks the monitor again at once, which still reads the error: the ladder climbs
  // to the failover, and batch goes to s2, where the monitor has no report (ok).
  await cluster.groupOnline('s3', 'batch', 's2', 60_000);
  const climbed = await waitFor(
    'batch-check on s3 at reactivate 2/2 and failover 1/1',
    async () => {
      const m = await monitorOn('s3', 'batch-check');
      return m.reactivations === 2 && m.failovers === 1 ? m : undefined;
    },
    30_000,
  );
  assert.deepEqual(climbed.limits, { retries: 0, reactivate: 2, failover: 1, final: 'stop-group' });
  assert.equal((await monitorOn('s2', 'batch-check')).reactivations, 0);

  // Back on s3 the monitor is still in error with its counters used up: the final action.
  const moved = await cluster.cli(['group', 'move', 'batch', '--to', 's3'], 's3');
  assert.equal(moved.code, 0, moved.stderr);
  await waitFor(
    'batch stopped for good by the final action',
    async () => {
      const status = await cluster.status('s3');
      const batch = status.groups.find((g) => g.name === 'batch');
      return batch?.run === false && batch.state === 'offline';
    },
    60_000,
  );
  assert.deepEqual(await recoveryAlerts('s3', 'batch-check'), [
    'monitor batch-check: reactivating batch-job on s3 (1/2)',
    'monitor batch-check: reactivating batch-job on s3 (2/2)',
    'monitor batch-check: failing batch over from s3 to s2 (1/1)',
    'monitor batch-check: final action stop-group on s3',
  ]);
  const text = await cluster.cli(['status'], 's3');
  assert.match(text.stdout, /batch-check .*reactivate 2\/2 · failover 1\/1 → stop-group/);

  const reset = await cluster.cli(['monitor', 'reset', 'batch-check'], 's1');
  assert.equal(reset.code, 0, reset.stderr);
  await waitFor(
    'batch-check counters reset on s3',
    async () => {
      const m = await monitorOn('s3', 'batch-check');
      return m.reactivations === 0 && m.failovers === 0;
    },
    15_000,
  );
});

test('failures right after a restart are ignored; the counters start over after the quiet period', async () => {
  await cluster.groupOnline('s1', 'web', 's1', 30_000);
  // Reported until it counts: a report within waitAfterStart of web's start is ignored. (The alert
  // rather than the counter, which the quiet period may already have reset under load.)
  const reactivated = await waitFor(
    'web-quiet reactivated web once',
    async () => {
      const [alert] = await recoveryAlertEntries('s1', 'web-quiet');
      if (alert) return alert;
      const sent = await cluster.cli(['report', 'web-quiet', 'error', 'slow replies'], 's1');
      assert.equal(sent.code, 0, sent.stderr);
      return undefined;
    },
    60_000,
  );
  // The restarted web's first check still reads the error, within waitAfterStart: ignored.
  await waitFor(
    'the failure right after the restart ignored',
    async () =>
      cluster
        .logEvents('s1', 'monitor-failure-ignored')
        .some((e) => e.fields.monitor === 'web-quiet' && Date.parse(e.at) >= Date.parse(reactivated.at)),
    30_000,
  );
  const ok = await cluster.cli(['report', 'web-quiet', 'ok'], 's1');
  assert.equal(ok.code, 0, ok.stderr);
  await waitFor(
    'web-quiet counters reset after 3 s without an error',
    async () => (await monitorOn('s1', 'web-quiet')).reactivations === 0,
    30_000,
  );
  const resets = cluster.logEvents('s1', 'recovery-counters-reset');
  assert.deepEqual(
    resets.map((e) => e.fields),
    [{ server: 's1', monitor: 'web-quiet', reason: 'resetAfter' }],
  );
  assert.deepEqual(await recoveryAlerts('s1', 'web-quiet'), [
    'monitor web-quiet: reactivating web-service on s1 (1/3)',
  ]);
});

test('a warning raises an alert and lowers the health score that every server shows', async () => {
  const health = async (seenBy: string, server: string) => {
    const result = await cluster.cli(['status', '--json'], seenBy);
    return (JSON.parse(result.stdout) as StatusSnapshot).servers.find((s) => s.name === server)?.health;
  };
  // No report within 20 s of the agent's start: warn-check passes with a warning on every server.
  await waitFor('s1 at health 90 as s2 sees it', async () => (await health('s2', 's1')) === 90, 60_000);
  const text = await cluster.cli(['status'], 's2');
  assert.match(text.stdout, /s1 +up, health 90 /);
  const alerts = await cluster.cli(['alerts', '--all', '--json'], 's1');
  const warnings = (JSON.parse(alerts.stdout) as AlertEntry[]).filter(
    (a) => a.kind === 'monitor-warning' && a.message.startsWith('monitor warn-check warns on s1: no report'),
  );
  assert.equal(warnings.length, 1, alerts.stdout);
  assert.equal(warnings[0]?.severity, 'warning');
  // A fresh report clears the warning on s1 only (for 20 s): its score goes back up everywhere.
  const sent = await cluster.cli(['report', 'warn-check', 'ok', 'nightly export done'], 's1');
  assert.equal(sent.code, 0, sent.stderr);
  await waitFor('s1 at health 100 as s2 sees it', async () => (await health('s2', 's1')) === 100, 15_000);
  assert.equal(await health('s1', 's3'), 90);
});
