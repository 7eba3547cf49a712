// Redundant LANs: when lan0 stops carrying traffic (an iptables DROP on the peer's lan0 address),
// the peer channel moves to lan1; when lan0 works again, it moves back to lan0 on its own.
// Needs root for iptables; the rule names only this test's loopback address and port.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { waitFor } from './helpers.js';
import { PeerCluster } from './peer-cluster.js';

function iptablesUsable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root for iptables';
  try {
    execFileSync('iptables', ['-w', '-S', 'OUTPUT'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'iptables is not usable here';
  }
}

const skip = iptablesUsable();

test(
  'the peer channel falls back to lan1 and moves back to lan0 when it works again',
  { skip: skip ?? false, timeout: 60_000 },
  async () => {
    // This helper's port range is 45600-45799; the rule below must not touch anyone else's traffic.
    const port = 45600 + randomInt(0, 100);
    const cluster = new PeerCluster(['alpha', 'beta'], 2, {
      port,
      connectTimeoutMs: 500,
      pingIntervalMs: 200,
      idleTimeoutMs: 1000,
      backoff: { initialMs: 50, maxMs: 200 },
      preferredProbeMs: 300,
    });
    const rule = [
      'OUTPUT',
      '-d',
      cluster.addressOf('beta', 0),
      '-p',
      'tcp',
      '--dport',
      String(port),
      '-j',
      'DROP',
    ];
    let ruleIn = false;
    const viaOf = () =>
      cluster
        .get('alpha')
        .channel.statuses()
        .find((s) => s.peer === 'beta');
    try {
      await cluster.startAll();
      await waitFor('alpha to reach beta over lan0', () => viaOf()?.via === 'lan0', 10_000);
      assert.deepEqual(cluster.get('beta').channel.statuses(), [
        { peer: 'alpha', state: 'connected', via: 'lan0' },
      ]);

      execFileSync('iptables', ['-w', '-A', ...rule]);
      ruleIn = true;
      await waitFor('the channel to move to lan1', () => viaOf()?.via === 'lan1', 20_000);
      assert.equal(viaOf()?.state, 'connected');
      assert.ok(cluster.get('alpha').channel.counters()['dial-failed'] >= 1);

      execFileSync('iptables', ['-w', '-D', ...rule]);
      ruleIn = false;
      await waitFor('the channel to move back to lan0', () => viaOf()?.via === 'lan0', 20_000);
      await waitFor(
        'beta to see the same',
        () => cluster.get('beta').channel.statuses()[0]?.via === 'lan0',
        10_000,
      );
      // Moving back replaced the connection without a gap: no 'down' since the lan1 connection.
      const states = cluster.get('alpha').states;
      const lastDown = states.lastIndexOf('beta:down');
      assert.ok(
        states.slice(lastDown + 1).filter((s) => s === 'beta:connected').length >= 2,
        states.join(' '),
      );
    } finally {
      if (ruleIn) execFileSync('iptables', ['-w', '-D', ...rule]);
      await cluster.close();
    }
  },
);
