// The timeline is read from the agents' log records: each step is one record, picked by the rules
// in timeline.ts (the group's last complete start after detection, the source's stop before it …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/control/protocol.js';
import { buildTimeline, type TimelineContext } from '../../../src/drills/timeline.js';
import { reportMarkdown, stepLine } from '../../../src/drills/report.js';
import type { DrillState } from '../../../src/drills/types.js';

const base = Date.parse('2026-11-22T05:00:00.000Z');
const line = (ms: number, server: string, event: string, fields: Record<string, unknown> = {}): LogLine => ({
  at: new Date(base + ms).toISOString(),
  server,
  level: 'info',
  event,
  fields,
});

const dummy: TimelineContext = {
  drill: 'd1',
  kind: 'dummy-failure',
  faultServer: 's1',
  source: 's1',
  group: 'web',
  resources: ['web-service'],
};

// A dummy failure as the agents log it: a restart in place first, then the failover to s2.
const dummyLog = [
  line(-500, 's1', 'resource-start-done', { group: 'web', resource: 'web-service' }),
  line(0, 's1', 'drill-fault-injected', { drill: 'd1', message: 'monitor web-pid fails here' }),
  line(200, 's1', 'alert', { kind: 'monitor-error', message: 'monitor web-pid is in error on s1' }),
  line(300, 's1', 'resource-stop-done', { group: 'web', resource: 'web-service' }),
  line(600, 's1', 'resource-start-done', { group: 'web', resource: 'web-service' }),
  line(650, 's1', 'group-offline', { group: 'web' }),
  line(1200, 's2', 'resource-start-done', { group: 'web', resource: 'web-service' }),
  line(1500, 's3', 'drill-service-green', { drill: 'd1', check: 'monitors web-pid ok on s2' }),
  line(1600, 's3', 'drill-service-green', { drill: 'other' }),
  line(15_000, 's1', 'drill-fault-reverted', { drill: 'd1', why: 'time' }),
];

test('dummy-failure: the failover, not the restart in place, is the start; the stop is the one before it', () => {
  // Records from several agents arrive in any order.
  const steps = buildTimeline(dummy, [...dummyLog].reverse());
  assert.deepEqual(
    steps.map((s) => [s.step, s.server, s.event, s.sinceMs]),
    [
      ['injected', 's1', 'drill-fault-injected', 0],
      ['detected', 's1', 'alert', 200],
      ['stopped', 's1', 'group-offline', 650],
      ['started', 's2', 'resource-start-done', 1200],
      ['green', 's3', 'drill-service-green', 1500],
      ['reverted', 's1', 'drill-fault-reverted', 15_000],
    ],
  );
  assert.equal(steps.find((s) => s.step === 'started')?.at, '2026-11-22T05:00:01.200Z');
});

test('a restart in place is reported as such while no failover followed', () => {
  const steps = buildTimeline(dummy, dummyLog.slice(0, 5));
  const started = steps.find((s) => s.step === 'started');
  assert.equal(started?.server, 's1');
  assert.match(started?.detail ?? '', /restarted in place/);
  assert.equal(steps.find((s) => s.step === 'stopped')?.sinceMs, 300);
});

test('no timeline before the fault is logged, and nothing of another drill', () => {
  assert.deepEqual(buildTimeline(dummy, dummyLog.slice(2)), []);
  assert.deepEqual(buildTimeline({ ...dummy, drill: 'd2' }, dummyLog), []);
});

test('heartbeat-loss: detected by a peer, the partition decision, the fence as the stop', () => {
  const context: TimelineContext = { ...dummy, kind: 'heartbeat-loss', faultServer: 's2', source: 's2' };
  const steps = buildTimeline(context, [
    line(0, 's2', 'drill-fault-injected', { drill: 'd1' }),
    line(800, 's2', 'alert', { kind: 'server-down', message: 's2 lost every heartbeat link to s1' }),
    line(900, 's1', 'alert', { kind: 'server-down', message: 's1 lost every heartbeat link to s2' }),
    line(950, 's2', 'np-decision', { verdict: 'lose', reason: 'majority: only 1 of 3 servers in contact' }),
    line(951, 's2', 'fence', { reason: 'lost', groups: ['web'] }),
    line(4000, 's3', 'resource-start-done', { group: 'web', resource: 'web-service' }),
  ]);
  assert.deepEqual(
    steps.map((s) => [s.step, s.server, s.sinceMs]),
    [
      ['injected', 's2', 0],
      ['detected', 's1', 900],
      ['np-decided', 's2', 950],
      ['stopped', 's2', 951],
      ['started', 's3', 4000],
    ],
  );
  assert.equal(
    steps.find((s) => s.step === 'np-decided')?.detail,
    'lose: majority: only 1 of 3 servers in contact',
  );
});

test('started needs every resource of the group on one server', () => {
  const steps = buildTimeline({ ...dummy, resources: ['ip', 'web-service'] }, [
    ...dummyLog.slice(1, 3),
    line(1000, 's2', 'resource-start-done', { group: 'web', resource: 'ip' }),
    line(1100, 's3', 'resource-start-done', { group: 'web', resource: 'web-service' }),
  ]);
  assert.equal(
    steps.find((s) => s.step === 'started'),
    undefined,
  );
});

test('the report: one Markdown row per step with the agent log time, and a readable live line', () => {
  const drill: DrillState = {
    id: 'd1',
    kind: 'dummy-failure',
    target: 'web-pid',
    group: 'web',
    source: 's1',
    faultServer: 's1',
    durationSeconds: 15,
    startedAt: '2026-11-22T05:00:00.000Z',
    state: 'done',
    message: 'the service was green again on the new server',
    timeline: buildTimeline(dummy, dummyLog),
  };
  const markdown = reportMarkdown(drill);
  assert.match(markdown, /^# Drill dummy-failure on web-pid/);
  assert.match(
    markdown,
    /\| started on target \| 1200 ms \| 2026-11-22T05:00:01\.200Z \| s2 \| resource-start-done \|/,
  );
  assert.equal(markdown.split('\n').filter((l) => l.startsWith('| ') && l.includes(' ms |')).length, 6);
  assert.equal(
    stepLine(drill.timeline[1]),
    '   +0.200s  detected             s1       alert: monitor web-pid is in error on s1',
  );
});
