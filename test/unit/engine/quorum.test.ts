import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMajority, resolvePartition } from '../../../src/engine/quorum.js';

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

test('partition resolution explains its verdict', () => {
  const win = resolvePartition([{ kind: 'majority' }], { servers: servers(3), members: ['s1', 's2'] });
  assert.deepEqual(win, { verdict: 'win', reason: 'majority: 2 of 3 servers in contact' });
  const lose = resolvePartition([{ kind: 'majority' }], { servers: servers(3), members: ['s3'] });
  assert.deepEqual(lose, { verdict: 'lose', reason: 'majority: only 1 of 3 servers in contact' });
  const none = resolvePartition([{ kind: 'ping', targets: ['gw'], mode: 'any' }], {
    servers: servers(2),
    members: ['s1'],
  });
  assert.equal(none.verdict, 'lose');
  assert.match(none.reason, /not available in the engine yet: ping/);
});
