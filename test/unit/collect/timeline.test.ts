// The merged alert timeline: each alert once, oldest first, with every server that reported it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeAlerts, timelineJsonLines } from '../../../src/collect/timeline.js';
import { alert } from '../control/fake-backend.js';

test('alerts of all servers are merged by id and ordered by time, whatever the order they came in', () => {
  const acked = {
    ...alert('s2-1', '2025-01-02T03:00:00Z'),
    ack: { by: 'alice', at: '2025-01-02T03:10:00Z', note: '' },
  };
  const merged = mergeAlerts([
    { server: 's1', alerts: [alert('s3-7', '2025-01-02T05:00:00Z'), alert('s2-1', '2025-01-02T03:00:00Z')] },
    { server: 's2', alerts: [acked, alert('s1-2', '2025-01-02T04:00:00.500Z')] },
    { server: 's3', alerts: [alert('s3-7', '2025-01-02T05:00:00Z'), alert('s1-1', '2025-01-02T04:00:00Z')] },
  ]);
  assert.deepEqual(
    merged.map((entry) => [entry.id, entry.reportedBy]),
    [
      ['s2-1', ['s1', 's2']],
      ['s1-1', ['s3']],
      ['s1-2', ['s2']],
      ['s3-7', ['s1', 's3']],
    ],
  );
  assert.deepEqual(merged[0]?.ack, acked.ack, 'the acknowledged copy wins');
  const lines = timelineJsonLines(merged).trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal((JSON.parse(lines[3] as string) as { id: string }).id, 's3-7');
});

test('same time: ordered by id; an unreadable time comes first rather than getting lost', () => {
  const merged = mergeAlerts([
    { server: 's1', alerts: [alert('b', '2025-01-02T03:00:00Z'), alert('a', '2025-01-02T03:00:00Z')] },
    { server: 's2', alerts: [alert('z', 'yesterday')] },
  ]);
  assert.deepEqual(
    merged.map((entry) => entry.id),
    ['z', 'a', 'b'],
  );
  assert.equal(timelineJsonLines([]), '');
});
