// Operator roles: the table of what viewer, operator and admin may call, the refusal wording, and the
// control server's authorization and audit hooks (unix socket connections stay unrestricted).
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { AuditEntry } from '../../../src/control/audit.js';
import { authorize, type Role } from '../../../src/control/authorize.js';
import { ErrorCode } from '../../../src/control/protocol.js';
import { errorOf, LineClient, startServer } from '../control/helpers.js';

const reads: [string, unknown][] = [
  ['hello', { protocol: 1 }],
  ['status.get', {}],
  ['status.subscribe', {}],
  ['alerts.list', {}],
  ['alerts.subscribe', {}],
  ['logs.tail', { lines: 5 }],
];
const collecting: [string, unknown][] = [
  ['logs.collect', { node: 's2', offset: 0 }],
  ['logs.snapshot', {}],
  ['config.get', {}],
];
const operatorOps = [
  'group-start',
  'group-stop',
  'group-move',
  'resource-start',
  'resource-stop',
  'monitor-suspend',
  'monitor-resume',
  'monitor-reset',
];
const adminOps = ['cluster-start', 'cluster-stop', 'cluster-suspend', 'cluster-resume'];
const command = (op: string) => ({ command: { op, group: 'web', to: 's2', resource: 'r', monitor: 'm' } });

const table: { role: Role; reads: boolean; operatorOps: boolean; ack: boolean; adminOps: boolean }[] = [
  { role: 'viewer', reads: true, operatorOps: false, ack: false, adminOps: false },
  { role: 'operator', reads: true, operatorOps: true, ack: true, adminOps: false },
  { role: 'admin', reads: true, operatorOps: true, ack: true, adminOps: true },
];

for (const row of table) {
  test(`role ${row.role}: the calls it may and may not make`, () => {
    for (const [method, params] of reads)
      assert.equal(authorize(row.role, method, params) === null, row.reads, method);
    for (const op of operatorOps)
      assert.equal(authorize(row.role, 'command', command(op)) === null, row.operatorOps, op);
    for (const op of adminOps)
      assert.equal(authorize(row.role, 'command', command(op)) === null, row.adminOps, op);
    assert.equal(authorize(row.role, 'alerts.ack', { ids: 'all' }) === null, row.ack, 'alerts.ack');
    // Collecting logs is an operator's job, like acknowledging.
    for (const [method, params] of collecting)
      assert.equal(authorize(row.role, method, params) === null, row.ack, method);
    const report = { monitor: 'm', ok: false };
    assert.equal(authorize(row.role, 'monitor.report', report) === null, row.ack, 'monitor.report');
    // Reading lateness figures is harmless; resetting them is an operator's call.
    assert.equal(authorize(row.role, 'monitors.lateness', {}), null, 'monitors.lateness');
    const reset = authorize(row.role, 'monitors.lateness', { reset: true }) === null;
    assert.equal(reset, row.ack, 'monitors.lateness reset');
  });
}

test('a refusal names the operator, the role, what was refused and the role it needs', () => {
  assert.equal(
    authorize('viewer', 'command', command('group-move'), 'bob'),
    'operator bob (viewer) may not move groups: needs role operator',
  );
  assert.equal(
    authorize('operator', 'command', { command: { op: 'cluster-stop' } }, 'carol'),
    'operator carol (operator) may not stop the cluster: needs role admin',
  );
  assert.equal(
    authorize('viewer', 'alerts.ack', { ids: ['a'] }),
    'role viewer may not acknowledge alerts: needs role operator',
  );
  assert.equal(
    authorize('viewer', 'logs.collect', {}, 'dave'),
    'operator dave (viewer) may not collect logs: needs role operator',
  );
});

test('unknown methods and commands need admin', () => {
  assert.match(authorize('operator', 'config.push', {}) ?? '', /may not call config\.push: needs role admin/);
  assert.match(
    authorize('operator', 'command', { command: { op: 'toString' } }) ?? '',
    /run command toString: needs role admin/,
  );
  assert.equal(authorize('admin', 'command', { command: { op: 'anything' } }), null);
});

test('the control server answers a refused call with Forbidden and audits it; others pass', async (t) => {
  const audited: AuditEntry[] = [];
  const { server, backend } = await startServer(t, {
    authorize: (operator, method, params) => authorize('viewer', method, params, operator),
    audit: (entry) => audited.push(entry),
  });
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverSide = Duplex.from({ readable: toServer, writable: toClient });
  server.serveStream(serverSide, 'bob', '10.0.0.9:50123');
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  toClient.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  const request = async (id: number, method: string, params: unknown) => {
    toServer.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = lines.find((line) => line.id === id);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no answer to ${method}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const status = await request(1, 'status.get', {});
  assert.ok(status.result, 'a viewer reads the status');
  const refused = errorOf(
    await request(2, 'command', { command: { op: 'group-move', group: 'web', to: 's2' } }),
  );
  assert.equal(refused.code, ErrorCode.Forbidden);
  assert.equal(refused.message, 'operator bob (viewer) may not move groups: needs role operator');
  assert.equal(backend.commands.length, 0, 'the backend never saw the refused command');
  assert.equal(audited.length, 1);
  assert.equal(audited[0]?.operator, 'bob');
  assert.equal(audited[0]?.source, '10.0.0.9:50123');
  assert.equal(audited[0]?.ok, false);
  assert.deepEqual(audited[0]?.result, { code: ErrorCode.Forbidden, message: refused.message });
  toServer.end();
});

test('unix socket connections are not role-checked and are audited as local', async (t) => {
  const audited: AuditEntry[] = [];
  const { socket, backend } = await startServer(t, { audit: (entry) => audited.push(entry) });
  const client = await LineClient.connect(t, socket);
  const reply = await client.request(1, 'command', { command: { op: 'cluster-stop' } });
  assert.ok(reply.result, JSON.stringify(reply));
  assert.equal(backend.commands.length, 1);
  assert.equal(audited[0]?.source, 'local');
  assert.equal(audited[0]?.ok, true);
  assert.equal(audited[0]?.method, 'command');
  assert.deepEqual(audited[0]?.params, { command: { op: 'cluster-stop' } });
});

test('monitor.report reaches the backend with its params checked, and is audited', async (t) => {
  const audited: AuditEntry[] = [];
  const { socket, backend } = await startServer(t, { audit: (entry) => audited.push(entry) });
  const client = await LineClient.connect(t, socket);
  const reply = await client.request(1, 'monitor.report', { monitor: 'job', ok: false, text: 'stuck' });
  assert.deepEqual(reply.result, { message: 'reported error for monitor job' });
  assert.deepEqual(
    backend.reports.map(({ monitor, ok, text }) => [monitor, ok, text]),
    [['job', false, 'stuck']],
  );
  assert.equal(audited[0]?.method, 'monitor.report');
  assert.deepEqual(audited[0]?.params, { monitor: 'job', ok: false, text: 'stuck' });
  const bad = errorOf(await client.request(2, 'monitor.report', { monitor: 'job', ok: 'yes' }));
  assert.equal(bad.code, ErrorCode.InvalidParams);
  assert.match(bad.message, /param ok: expected true or false/);
  assert.equal(backend.reports.length, 1);
});
