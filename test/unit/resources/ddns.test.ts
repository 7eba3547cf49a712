// The ddns driver against recording fakes of nsupdate (its update script on stdin) and dig.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createDdnsDriver } from '../../../src/resources/ddns.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch } from './helpers.js';

const PARAMS = {
  server: '10.1.0.53',
  dnsName: 'db.example.net',
  ttl: 30,
  keyFile: '/etc/vigil/ddns.key',
  address: '10.1.0.200',
};
const DIG = ['+short', '-p', '53', '@10.1.0.53', 'db.example.net', 'A'];

function setup(
  t: TestContext,
  tools: { nsupdate?: FakeRule[]; dig?: FakeRule[] },
  params: Record<string, unknown> = PARAMS,
) {
  const fake = new FakeBin(t).tool('nsupdate', tools.nsupdate ?? []).tool('dig', tools.dig ?? []);
  const driver = createDdnsDriver({ env: fake.env(), pollMs: 20 });
  const { ctx, logger } = resourceContext(scratch(t), toolResource('ddns', 'db-dns', params));
  return { fake, driver, ctx, logger };
}

test('start replaces the record by this address and checks the answer', async (t) => {
  const { fake, driver, ctx, logger } = setup(t, {
    nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'] }],
    dig: [{ args: DIG, stdout: '10.1.0.200\n' }],
  });
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'db.example.net -> 10.1.0.200 registered on 10.1.0.53',
  });
  assert.deepEqual(fake.recorded(), [
    {
      tool: 'nsupdate',
      args: ['-k', '/etc/vigil/ddns.key'],
      stdin:
        'server 10.1.0.53 53\nupdate delete db.example.net A\nupdate add db.example.net 30 A 10.1.0.200\nsend\n',
    },
    { tool: 'dig', args: DIG, stdin: '' },
  ]);
  assert.ok(logger.records.some((record) => record.event === 'resource-tool' && record.fields.code === 0));
});

test('an IPv6 address gets an AAAA record', async (t) => {
  const { fake, driver, ctx } = setup(
    t,
    {
      nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'] }],
      dig: [
        {
          args: ['+short', '-p', '5353', '@ns1.example.net', 'db.example.net', 'AAAA'],
          stdout: 'fd00::200\n',
        },
      ],
    },
    { ...PARAMS, server: 'ns1.example.net', port: 5353, address: 'fd00::200' },
  );
  assert.equal((await driver.start(ctx)).ok, true);
  assert.equal(
    fake.recorded()[0]?.stdin,
    'server ns1.example.net 5353\nupdate delete db.example.net AAAA\nupdate add db.example.net 30 AAAA fd00::200\nsend\n',
  );
});

test('an update the server REFUSES fails with what nsupdate said and what to check', async (t) => {
  const { driver, ctx } = setup(t, {
    nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'], code: 2, stdout: 'update failed: REFUSED\n' }],
  });
  const result = await driver.start(ctx);
  assert.deepEqual(result, {
    ok: false,
    detail:
      'could not register db.example.net -> 10.1.0.200: `nsupdate -k /etc/vigil/ddns.key` exited with code 2: ' +
      'update failed: REFUSED. Check that 10.1.0.53 allows updates of db.example.net with the key in ' +
      '/etc/vigil/ddns.key (update-policy / allow-update) and that the key file is readable by the agent',
  });
});

test('a server that answers another address after the update fails the start', async (t) => {
  const { driver, ctx } = setup(t, {
    nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'] }],
    dig: [{ args: DIG, stdout: 'db-alias.example.net.\n10.1.0.201\n' }],
  });
  assert.deepEqual(await driver.start(ctx), {
    ok: false,
    detail: 'db.example.net was updated but 10.1.0.53 answers 10.1.0.201 instead of 10.1.0.200',
  });
});

test('an nsupdate that hangs is killed at the timeout', async (t) => {
  const { driver, ctx } = setup(t, { nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'], delaySeconds: 30 }] });
  const result = await driver.start({ ...ctx, timeoutMs: 500 });
  assert.equal(result.ok, false);
  assert.match(result.detail, /`nsupdate -k \/etc\/vigil\/ddns\.key` timed out after \d+ ms/);
});

test('stop deletes only this address (idempotent); probe compares the answer with it', async (t) => {
  const perServer = { ...PARAMS, address: { s1: '10.1.0.200', s2: '10.1.0.201' } };
  const { fake, driver, ctx } = setup(
    t,
    {
      nsupdate: [{ args: ['-k', '/etc/vigil/ddns.key'] }],
      dig: [
        { args: DIG, stdout: '10.1.0.200\n', times: 1 },
        { args: DIG, stdout: '10.1.0.201\n', times: 1 },
        { args: DIG, stdout: '', times: 1 },
        { args: DIG, code: 9, stdout: ';; connection timed out; no servers could be reached\n' },
      ],
    },
    perServer,
  );
  assert.deepEqual(await driver.stop(ctx), {
    ok: true,
    detail: 'db.example.net -> 10.1.0.200 removed from 10.1.0.53',
  });
  assert.deepEqual(await driver.stop(ctx), {
    ok: true,
    detail: 'db.example.net -> 10.1.0.200 removed from 10.1.0.53',
  });
  const stdin = 'server 10.1.0.53 53\nupdate delete db.example.net A 10.1.0.200\nsend\n';
  assert.deepEqual(
    fake.recorded().map((call) => call.stdin),
    [stdin, stdin],
  );
  const probes = [];
  for (let i = 0; i < 4; i++) probes.push(await driver.probe(ctx));
  assert.deepEqual(probes, ['online', 'offline', 'offline', 'unknown']);
});

test('with one address for every server, probe cannot tell who registered it: unknown, never online', async (t) => {
  const { driver, ctx } = setup(t, {
    dig: [
      { args: DIG, stdout: '10.1.0.200\n', times: 1 },
      { args: DIG, stdout: '10.1.0.99\n' },
    ],
  });
  assert.equal(await driver.probe(ctx), 'unknown');
  assert.equal(await driver.probe(ctx), 'offline');
});

test('a per-server address without this server fails clearly and sends nothing', async (t) => {
  const { fake, driver, ctx } = setup(t, {}, { ...PARAMS, address: { s2: '10.1.0.201' } });
  assert.deepEqual(await driver.start(ctx), {
    ok: false,
    detail:
      'start of web/db-dns (ddns) failed: ddns address has no entry for this server (s1): add "s1: ITS-IP" under address',
  });
  assert.deepEqual(fake.lines(), []);
});
