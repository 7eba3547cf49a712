import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingRequests } from '../../../src/links/peer/requests.js';

test('an answer on the right connection resolves the request', async () => {
  const pending = new PendingRequests<string>();
  const { id, answer } = pending.open('beta', 'conn-1', 1000);
  assert.equal(pending.answer('conn-2', id, { ok: true, body: 'wrong' }), false);
  assert.equal(pending.answer('conn-1', id, { ok: true, body: 'right' }), true);
  assert.equal(await answer, 'right');
  assert.equal(pending.size, 0);
});

test('a refusal rejects with the peer and the reason', async () => {
  const pending = new PendingRequests<string>();
  const { id, answer } = pending.open('beta', 'c', 1000);
  pending.answer('c', id, { ok: false, error: 'no handler' });
  await assert.rejects(answer, /peer beta refused the request: no handler/);
});

test('a request times out naming the peer', async () => {
  const pending = new PendingRequests<string>();
  const { answer } = pending.open('gamma', 'c', 10);
  await assert.rejects(answer, /request to peer gamma timed out after 10 ms/);
  assert.equal(pending.size, 0);
});

test('a closed connection fails only its own requests', async () => {
  const pending = new PendingRequests<string>();
  const lost = pending.open('beta', 'c1', 1000);
  const kept = pending.open('gamma', 'c2', 1000);
  pending.failConnection('c1', 'closed by peer');
  await assert.rejects(lost.answer, /request to peer beta failed: closed by peer/);
  assert.equal(pending.size, 1);
  pending.failAll('shutting down');
  await assert.rejects(kept.answer, /shutting down/);
});
