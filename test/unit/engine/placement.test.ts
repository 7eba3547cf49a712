import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTarget } from '../../../src/engine/placement.js';
import type { GroupModel } from '../../../src/engine/model.js';

const group = (failback: 'auto' | 'manual'): GroupModel => ({
  name: 'web',
  policy: ['s1', 's2', 's3'],
  startup: 'auto',
  failback,
  resources: [],
});
const all = () => true;
const run = { kind: 'group' as const, run: true };

test('the first eligible server of the policy wins', () => {
  assert.equal(chooseTarget(group('manual'), run, { eligible: all, holder: null }), 's1');
  assert.equal(chooseTarget(group('manual'), run, { eligible: (s) => s !== 's1', holder: null }), 's2');
});

test('manual failback keeps the group where it is; auto failback returns it', () => {
  assert.equal(chooseTarget(group('manual'), run, { eligible: all, holder: 's2' }), 's2');
  assert.equal(chooseTarget(group('auto'), run, { eligible: all, holder: 's2' }), 's1');
});

test('a preferred server (an operator move) wins while eligible', () => {
  const intent = { ...run, preferred: 's3' };
  assert.equal(chooseTarget(group('auto'), intent, { eligible: all, holder: 's1' }), 's3');
  assert.equal(chooseTarget(group('auto'), intent, { eligible: (s) => s !== 's3', holder: 's2' }), 's1');
});

test('the server a group was failed away from is the last resort', () => {
  const intent = { ...run, avoid: 's1' };
  assert.equal(chooseTarget(group('manual'), intent, { eligible: all, holder: 's1' }), 's2');
  assert.equal(chooseTarget(group('manual'), intent, { eligible: (s) => s === 's1', holder: 's1' }), 's1');
});

test('a stopped group has no target; with no eligible server it stays with its holder', () => {
  assert.equal(
    chooseTarget(group('manual'), { kind: 'group', run: false }, { eligible: all, holder: 's1' }),
    null,
  );
  assert.equal(chooseTarget(group('manual'), run, { eligible: () => false, holder: 's2' }), 's2');
});
