import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGrant, type GrantContext } from '../../../src/engine/claims.js';
import type { GroupReport } from '../../../src/engine/messages.js';

const offline = (epoch: number): GroupReport => ({ state: 'offline', epoch });

function context(
  overrides: Partial<GrantContext> & { reports?: Record<string, GroupReport | null>; fenced?: string[] },
): GrantContext {
  const reports = overrides.reports ?? { s1: offline(3), s2: offline(3), s3: offline(3) };
  return {
    self: 's1',
    highestEpoch: 3,
    lastGrant: undefined,
    servers: ['s1', 's2', 's3'],
    reportOf: (s) => (s in reports ? reports[s] : null),
    presumedFenced: (s) => (overrides.fenced ?? []).includes(s),
    incarnationOf: () => 1,
    ...overrides,
  };
}

test('grants a newer epoch when nobody holds the group', () => {
  assert.deepEqual(decideGrant(context({}), 's2', 4), { grant: true });
});

test('refuses an epoch that is not newer than the highest seen', () => {
  const d = decideGrant(context({}), 's2', 3);
  assert.equal(d.grant, false);
  assert.match(!d.grant ? d.reason : '', /not newer than 3/);
});

test('refuses while another server reports the group active, until it is presumed fenced', () => {
  const reports = { s1: offline(3), s2: offline(3), s3: { state: 'online', epoch: 3 } as GroupReport };
  assert.equal(decideGrant(context({ reports }), 's2', 4).grant, false);
  assert.equal(decideGrant(context({ reports, fenced: ['s3'] }), 's2', 4).grant, true);
});

test('a server never heard from blocks grants until it is presumed fenced', () => {
  const reports = { s1: offline(3), s2: offline(3), s3: null };
  assert.equal(decideGrant(context({ reports }), 's2', 4).grant, false);
  assert.equal(decideGrant(context({ reports, fenced: ['s3'] }), 's2', 4).grant, true);
});

test('a claim in progress elsewhere blocks a second claimant', () => {
  const reports = {
    s1: offline(3),
    s2: offline(3),
    s3: { state: 'offline', epoch: 3, claiming: 4 } as GroupReport,
  };
  assert.equal(decideGrant(context({ reports }), 's2', 5).grant, false);
});

test('an earlier grant blocks others until its claimant reports it settled', () => {
  const lastGrant = { to: 's3', epoch: 4, incarnation: 1 };
  const pending = {
    s1: offline(4),
    s2: offline(4),
    s3: { state: 'offline', epoch: 3, claiming: 4 } as GroupReport,
  };
  assert.equal(decideGrant(context({ highestEpoch: 4, lastGrant, reports: pending }), 's2', 5).grant, false);
  const settled = { s1: offline(4), s2: offline(4), s3: offline(4) };
  assert.equal(decideGrant(context({ highestEpoch: 4, lastGrant, reports: settled }), 's2', 5).grant, true);
  const silent = { s1: offline(4), s2: offline(4), s3: null };
  assert.equal(decideGrant(context({ highestEpoch: 4, lastGrant, reports: silent }), 's2', 5).grant, false);
  assert.equal(
    decideGrant(context({ highestEpoch: 4, lastGrant, reports: silent, fenced: ['s3'] }), 's2', 5).grant,
    true,
  );
});

test('the claimant of the earlier grant may claim again', () => {
  const lastGrant = { to: 's2', epoch: 4, incarnation: 1 };
  assert.equal(decideGrant(context({ highestEpoch: 4, lastGrant }), 's2', 5).grant, true);
});
