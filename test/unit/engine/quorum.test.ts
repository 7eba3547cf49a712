import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NpMethodModel } from '../../../src/engine/model.js';
import { claimQuorum, isMajority, resolvePartition, type NpContext } from '../../../src/engine/quorum.js';

const servers = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);

test('majority needs more than half of the configured servers', () => {
  assert.equal(isMajority(['s1', 's2'], servers(3)), true);
  assert.equal(isMajority(['s3'], servers(3)), false);
  assert.equal(isMajority(['s2', 's4', 's5'], servers(5)), true);
  assert.equal(isMajority(['s1', 's2'], servers(5)), false);
});

test('an even split goes to the half holding the first server', () => {
  assert.equal(isMajority(['s1', 's4'], servers(4)), true);
  assert.equal(isMajority(['s2', 's3'], servers(4)), false);
  assert.equal(isMajority(['s1'], servers(2)), true);
  assert.equal(isMajority(['s2'], servers(2)), false);
});

test('servers outside the configuration do not count', () => {
  assert.equal(isMajority(['s3', 'x', 'y'], servers(3)), false);
});

function ctx(over: Partial<NpContext> & Pick<NpContext, 'members'>): NpContext {
  return {
    self: over.members[0] as string,
    servers: servers(2),
    now: 1000,
    since: 500,
    deadlineMs: 1000,
    facts: {},
    peerLeaseHolder: null,
    ...over,
  };
}

const majority: NpMethodModel = { kind: 'majority' };
const ping: NpMethodModel = { kind: 'ping', targets: ['gw1', 'gw2'], mode: 'any' };
const disk: NpMethodModel = { kind: 'disk', device: '/dev/sdb' };
const witness: NpMethodModel = { kind: 'witness', url: 'https://w:29200/' };

test('with every server in contact there is nothing to resolve', () => {
  const d = resolvePartition([disk], ctx({ members: ['s1', 's2'] }));
  assert.deepEqual(d, { verdict: 'win', reason: 'all 2 servers in contact', basis: 'all' });
});

test('majority explains its verdict; an even split goes to the first server only when it is the last method', () => {
  const three = { servers: servers(3) };
  assert.deepEqual(resolvePartition([majority], ctx({ ...three, members: ['s1', 's2'] })), {
    verdict: 'win',
    reason: 'majority: 2 of 3 servers in contact',
    basis: 'majority',
  });
  const lose = resolvePartition([majority, disk], ctx({ ...three, members: ['s3'] }));
  assert.equal(lose.verdict, 'lose');
  assert.equal(lose.reason, 'majority: only 1 of 3 servers in contact');
  assert.equal(resolvePartition([majority], ctx({ members: ['s1'] })).verdict, 'win');
  assert.equal(resolvePartition([majority], ctx({ members: ['s2'] })).verdict, 'lose');
  // Followed by disk, the even split is the disk's to decide.
  const pending = resolvePartition([majority, disk], ctx({ members: ['s1'] }));
  assert.equal(pending.verdict, 'pending');
  assert.match(pending.reason, /even split.*disk: asking for the lease/);
});

test('a lease wins for its holder and for the servers in contact with it', () => {
  const facts = {
    lease: { method: 'disk' as const, held: true, validUntil: 2000, detail: 'slot 2', at: 900 },
  };
  const holder = resolvePartition([majority, disk], ctx({ members: ['s2'], facts }));
  assert.deepEqual(holder, {
    verdict: 'win',
    reason: 'majority: even split (1 of 2 servers in contact); disk: this server holds the lease',
    basis: 'lease',
    leaseHolder: 's2',
  });
  const fourServers = { servers: servers(4) };
  const mate = resolvePartition(
    [majority, witness],
    ctx({ ...fourServers, members: ['s4', 's3'], peerLeaseHolder: 's3' }),
  );
  assert.equal(mate.verdict, 'win');
  assert.equal(mate.leaseHolder, 's3');
  assert.equal(claimQuorum(new Set(['s4']), servers(4), mate), false, 'the lease holder must grant');
  assert.equal(claimQuorum(new Set(['s4', 's3']), servers(4), mate), true);
});

test('a lease that ran out loses at once; one never obtained loses at the NP deadline', () => {
  const expired = {
    lease: { method: 'witness' as const, held: true, validUntil: 999, detail: 'renewal failed', at: 900 },
  };
  assert.equal(resolvePartition([witness], ctx({ members: ['s1'], facts: expired })).verdict, 'lose');
  const refused = {
    lease: { method: 'witness' as const, held: false, validUntil: 0, detail: 'held by s2', at: 900 },
  };
  assert.equal(resolvePartition([witness], ctx({ members: ['s1'], facts: refused })).verdict, 'pending');
  const late = resolvePartition([witness], ctx({ members: ['s1'], facts: refused, now: 1500 }));
  assert.equal(late.verdict, 'lose');
  assert.match(late.reason, /no verdict within the NP deadline: witness: no lease: held by s2/);
});

test('facts gathered before resolution began do not count', () => {
  const old = { ping: { reachable: ['gw1'], at: 100 } };
  assert.equal(resolvePartition([ping], ctx({ members: ['s1'], facts: old })).verdict, 'pending');
});

test('ping loses when cut off, passes to the next method when it reaches the targets, and wins alone', () => {
  const none = { ping: { reachable: [], at: 600 } };
  assert.match(resolvePartition([ping, disk], ctx({ members: ['s1'], facts: none })).reason, /cut off/);
  const some = { ping: { reachable: ['gw2'], at: 600 } };
  assert.equal(resolvePartition([ping, disk], ctx({ members: ['s1'], facts: some })).verdict, 'pending');
  const alone = resolvePartition([ping], ctx({ members: ['s2'], facts: some }));
  assert.deepEqual([alone.verdict, alone.basis], ['win', 'ping']);
  // The hazard of ping alone: this server's grant is enough, whatever the other side does.
  assert.equal(claimQuorum(new Set(['s2']), servers(2), alone), true);
  const all: NpMethodModel = { kind: 'ping', targets: ['gw1', 'gw2'], mode: 'all' };
  assert.equal(resolvePartition([all], ctx({ members: ['s1'], facts: some })).verdict, 'lose');
});

test('com: a peer answering on the serial line means the first server keeps running', () => {
  const answered = { com: { peerAnswered: true, at: 600 } };
  assert.equal(resolvePartition([{ kind: 'com' }], ctx({ members: ['s1'], facts: answered })).verdict, 'win');
  assert.equal(
    resolvePartition([{ kind: 'com' }], ctx({ members: ['s2'], facts: answered })).verdict,
    'lose',
  );
  const silent = { com: { peerAnswered: false, at: 600 } };
  assert.equal(resolvePartition([{ kind: 'com' }], ctx({ members: ['s2'], facts: silent })).verdict, 'win');
});

test('a decision that rests on nothing allows no claim', () => {
  const lost = resolvePartition([majority], ctx({ members: ['s2'] }));
  assert.equal(claimQuorum(new Set(['s1', 's2']), servers(2), lost), false);
});
