// mii reads the real link state of a veth pair the test made (and of lo).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkUntil, driverFor, isRoot } from './check.js';
import { makeVethNamespace } from './netns.js';

test('mii: lo is up', async () => {
  const result = await driverFor('mii', { interface: 'lo' }).check();
  assert.deepEqual(result, { ok: true, detail: 'lo is unknown, carrier yes' });
});

test('mii: a missing interface is a clear error', async () => {
  const result = await driverFor('mii', { interface: 'nosuchnic0' }).check();
  assert.deepEqual(result, {
    ok: false,
    detail: 'there is no network interface nosuchnic0 here (see ip link)',
  });
});

test(
  'mii: a veth end loses carrier when its peer goes down, and is down when set down',
  { skip: !isRoot() && 'needs root (ip netns)' },
  async (t) => {
    const net = makeVethNamespace(t, 'mi');
    const { check } = driverFor('mii', { interface: net.host });
    const up = await checkUntil(check, (r) => r.ok, `${net.host} to come up`);
    assert.equal(up.detail, `${net.host} is up, carrier yes`);

    net.ip(['link', 'set', net.inner, 'down'], true);
    const noCarrier = await checkUntil(check, (r) => !r.ok, 'the carrier to go');
    // The state name depends on the kernel (lowerlayerdown or down); the carrier is what counts.
    assert.match(noCarrier.detail, new RegExp(`^${net.host} is [a-z]+, carrier no; check the cable`));

    net.ip(['link', 'set', net.host, 'down']);
    const down = await checkUntil(check, (r) => r.detail.includes(' is down'), `${net.host} to go down`);
    assert.equal(down.ok, false);
    assert.match(down.detail, /carrier unknown \(the interface is administratively down\)/);
  },
);
