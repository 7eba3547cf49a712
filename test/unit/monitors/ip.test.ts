// ip pings loopback and an address inside a network namespace the test made; nothing outside.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkUntil, driverFor, isRoot } from './check.js';
import { makeVethNamespace } from './netns.js';

test('ip: 127.0.0.1 answers', async () => {
  const { check } = driverFor('ip', { targets: ['127.0.0.1'] }, 3000);
  const result = await check();
  assert.equal(result.ok, true, result.detail);
  assert.match(result.detail, /^127\.0\.0\.1 answered in [0-9.]+ ms$/);
});

test(
  'ip: any and all over a namespace address that answers and one that does not',
  { skip: !isRoot() && 'needs root (ip netns)' },
  async (t) => {
    const net = makeVethNamespace(t, 'ip');
    const answering = driverFor('ip', { targets: [net.innerAddress] }, 3000);
    await checkUntil(answering.check, (r) => r.ok, `${net.innerAddress} to answer`);

    const any = driverFor('ip', { targets: [net.silentAddress, net.innerAddress], mode: 'any' }, 3000);
    const anyResult = await any.check();
    assert.equal(anyResult.ok, true, anyResult.detail);
    assert.match(
      anyResult.detail,
      new RegExp(`^${net.silentAddress} did not answer .*; ${net.innerAddress} answered in`),
    );

    const all = driverFor('ip', { targets: [net.silentAddress, net.innerAddress], mode: 'all' }, 3000);
    const allResult = await all.check();
    assert.equal(allResult.ok, false, allResult.detail);

    net.ip(['link', 'set', net.inner, 'down'], true);
    const down = await answering.check();
    assert.equal(down.ok, false);
    assert.match(down.detail, new RegExp(`^${net.innerAddress} did not answer`));
  },
);
