// The collector over a real control connection: a log longer than the limit keeps its end and says
// how much was left out; params of the new calls are checked like every other call's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectLogs, bundleName } from '../../../src/collect/collect.js';
import { connectUnix, ControlError } from '../../../src/control/client.js';
import { ErrorCode } from '../../../src/control/protocol.js';
import { logLine } from '../control/fake-backend.js';
import { startServer } from '../control/helpers.js';

test('a log over the limit: its last bytes, and the manifest says how many were left out', async (t) => {
  const { socket, backend } = await startServer(t);
  for (let n = 0; n < 40; n++) backend.emitLog(logLine(n));
  const whole = Buffer.from(backend.logLines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const seen: string[] = [];
  const collection = await collectLogs(client, {
    tool: 'test',
    maxLogBytes: 1000,
    now: () => new Date('2026-11-22T04:50:12.345Z'),
    onProgress: (progress) => seen.push(`${progress.node}:${progress.phase}`),
  });
  assert.equal(collection.name, 'vigil-logs-demo-20261122-045012');
  const s1 = collection.manifest.nodes[0];
  assert.deepEqual(s1?.log, { source: 'memory', bytes: 1000, leftOutBytes: whole.length - 1000 });
  const log = collection.entries.find((entry) => entry.path.endsWith('/nodes/s1/vigild.log'));
  assert.deepEqual(log?.data, whole.subarray(whole.length - 1000));
  assert.deepEqual(seen.slice(0, 3), ['s1:waiting', 's2:waiting', 's3:waiting']);
  assert.ok(seen.includes('s1:log') && seen.includes('s1:done') && seen.includes('s2:failed'));
  assert.equal(collection.collected, 1);
  assert.deepEqual(collection.manifest.config, { ok: true, redacted: [] });
  assert.deepEqual(
    collection.manifest.files.map((path) => path.slice(collection.name.length + 1)),
    [
      'manifest.json',
      'cluster-config.yaml',
      'alerts-timeline.jsonl',
      'nodes/s1/status.json',
      'nodes/s1/vigild.log',
    ],
  );
});

test('bad params of the collection calls are InvalidParams naming the param', async (t) => {
  const { socket } = await startServer(t);
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const invalid = async (call: Promise<unknown>, pattern: RegExp) => {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ControlError);
    assert.equal(error.code, ErrorCode.InvalidParams);
    assert.match(error.message, pattern);
  };
  await invalid(client.call('logs.collect', { offset: -1 }), /param offset: expected a byte offset/);
  await invalid(client.call('logs.collect', { offset: 1.5 }), /param offset/);
  await invalid(
    client.call('logs.snapshot', { lines: 3 } as never),
    /unknown param "lines" for logs\.snapshot/,
  );
  await invalid(client.call('config.get', { all: true } as never), /it takes none/);
});

test('bundle names are safe file names in UTC', () => {
  assert.equal(bundleName('prod', new Date('2026-01-02T03:04:05Z')), 'vigil-logs-prod-20260102-030405');
  assert.equal(bundleName('../x y', new Date('2026-01-02T03:04:05Z')), 'vigil-logs-__x_y-20260102-030405');
});
