// The control server against an in-memory backend: every method, every kind of bad input, the
// audit log of state-changing calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, PROTOCOL_VERSION } from '../../../src/control/protocol.js';
import { alert, healthySnapshot, logLine } from './fake-backend.js';
import { errorOf, LineClient, startServer, waitFor } from './helpers.js';

const localOperator = `local:${process.getuid?.()}`;

test('hello answers with the protocol, the server and the cluster', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const reply = await client.request(1, 'hello', { protocol: PROTOCOL_VERSION, client: 'test' });
  assert.deepEqual(reply, {
    jsonrpc: '2.0',
    id: 1,
    result: { protocol: PROTOCOL_VERSION, server: 's1', cluster: 'demo' },
  });
});

test('hello with another protocol version is a VersionMismatch carrying both versions', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const error = errorOf(await client.request(1, 'hello', { protocol: PROTOCOL_VERSION + 1 }));
  assert.equal(error.code, ErrorCode.VersionMismatch);
  assert.deepEqual(error.data, { client: PROTOCOL_VERSION + 1, server: PROTOCOL_VERSION });
  assert.match(
    error.message,
    new RegExp(`protocol ${PROTOCOL_VERSION} and the client ${PROTOCOL_VERSION + 1}`),
  );
});

test('status.get returns the backend snapshot as it is', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  assert.deepEqual((await client.request(1, 'status.get')).result, healthySnapshot());
});

test('command: accepted returns the engine message; the operator is local:<uid>; the call is audited', async (t) => {
  const { socket, backend, logger } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const command = { op: 'group-move', group: 'web', to: 's2' };
  const reply = await client.request(1, 'command', { command });
  assert.deepEqual(reply.result, { message: 'accepted group-move' });
  assert.deepEqual(backend.commands, [{ command, operator: localOperator }]);
  const audit = logger.records.find((record) => record.event === 'control-call');
  assert.equal(audit?.level, 'info');
  assert.deepEqual(
    { operator: audit?.fields.operator, method: audit?.fields.method, ok: audit?.fields.ok },
    { operator: localOperator, method: 'command', ok: true },
  );
});

test('command: refused is error 1001 with the engine message, audited with ok false', async (t) => {
  const { socket, backend, logger } = await startServer(t);
  backend.decide = () => ({ ok: false, message: 'no group nope; groups are: web, batch' });
  const client = await LineClient.connect(t, socket);
  const error = errorOf(await client.request(1, 'command', { command: { op: 'group-stop', group: 'nope' } }));
  assert.deepEqual(error, { code: ErrorCode.Refused, message: 'no group nope; groups are: web, batch' });
  assert.equal(logger.records.find((record) => record.event === 'control-call')?.fields.ok, false);
});

test('command: a backend that throws gives InternalError with its message, and the server goes on', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.decide = () => {
    throw new Error('engine exploded');
  };
  const client = await LineClient.connect(t, socket);
  const error = errorOf(await client.request(1, 'command', { command: { op: 'cluster-stop' } }));
  assert.equal(error.code, ErrorCode.InternalError);
  assert.match(error.message, /internal error in command: engine exploded/);
  assert.doesNotMatch(error.message, /\n\s+at /);
  assert.ok((await client.request(2, 'status.get')).result);
});

test('alerts.list lists all or only unacknowledged; alerts.ack acknowledges by id or all, audited', async (t) => {
  const { socket, backend, logger } = await startServer(t);
  backend.alertList = [
    alert('a1', '2025-01-01T00:00:00Z'),
    alert('a2', '2025-01-01T00:00:01Z'),
    alert('a3', '2025-01-01T00:00:02Z'),
  ];
  const client = await LineClient.connect(t, socket);
  assert.equal(((await client.request(1, 'alerts.list')).result as unknown[]).length, 3);
  assert.deepEqual(await client.request(2, 'alerts.ack', { ids: ['a1'], note: 'seen' }), {
    jsonrpc: '2.0',
    id: 2,
    result: { acknowledged: 1 },
  });
  assert.deepEqual(backend.alertList[0]?.ack?.note, 'seen');
  assert.equal(backend.alertList[0]?.ack?.by, localOperator);
  const unacknowledged = (await client.request(3, 'alerts.list', { unacknowledgedOnly: true })).result as {
    id: string;
  }[];
  assert.deepEqual(
    unacknowledged.map((entry) => entry.id),
    ['a2', 'a3'],
  );
  assert.deepEqual((await client.request(4, 'alerts.ack', { ids: 'all' })).result, { acknowledged: 2 });
  const audits = logger.records.filter((record) => record.event === 'control-call');
  assert.deepEqual(
    audits.map((record) => [record.fields.method, record.fields.ok, record.fields.operator]),
    [
      ['alerts.ack', true, localOperator],
      ['alerts.ack', true, localOperator],
    ],
  );
});

test('alerts.subscribe returns the list, then notifies each new alert', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.alertList = [alert('a1', '2025-01-01T00:00:00Z')];
  const client = await LineClient.connect(t, socket);
  assert.equal(((await client.request(1, 'alerts.subscribe')).result as unknown[]).length, 1);
  backend.emitAlert(alert('a2', '2025-01-01T00:00:05Z', 'critical'));
  const [notification] = await waitFor('an alert notification', () => {
    const found = client.notifications('alert');
    return found.length > 0 && found;
  });
  assert.equal((notification?.params as { id: string }).id, 'a2');
  assert.equal(notification?.id, undefined);
});

test('logs.tail returns the last lines; follow adds notifications; another server unreachable is 1003', async (t) => {
  const { socket, backend } = await startServer(t);
  for (let n = 0; n < 10; n++) backend.logLines.push(logLine(n));
  const client = await LineClient.connect(t, socket);
  const tail = (await client.request(1, 'logs.tail', { lines: 3 })).result as { event: string }[];
  assert.deepEqual(
    tail.map((line) => line.event),
    ['event-7', 'event-8', 'event-9'],
  );
  assert.equal(((await client.request(2, 'logs.tail')).result as unknown[]).length, 10);
  await client.request(3, 'logs.tail', { lines: 0, follow: true });
  backend.emitLog(logLine(10));
  backend.emitLog(logLine(11, 's2')); // another server's line is not this server's log
  backend.emitLog(logLine(12));
  await waitFor('two log notifications', () => client.notifications('log').length >= 2);
  assert.deepEqual(
    client.notifications('log').map((message) => (message.params as { event: string }).event),
    ['event-10', 'event-12'],
  );
  const error = errorOf(await client.request(4, 'logs.tail', { node: 's9' }));
  assert.equal(error.code, ErrorCode.Unreachable);
  assert.match(error.message, /server s9 cannot be reached/);
});

test('garbage, batches and malformed requests get specific errors and the connection goes on', async (t) => {
  const { socket, logger } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const cases: [string, number, RegExp][] = [
    ['{not json\n', ErrorCode.ParseError, /not valid JSON/],
    [
      '[{"jsonrpc":"2.0","id":1,"method":"status.get"}]\n',
      ErrorCode.InvalidRequest,
      /batch requests are not supported/,
    ],
    ['42\n', ErrorCode.InvalidRequest, /must be a JSON object/],
    ['{"jsonrpc":"2.0","id":{"x":1},"method":"status.get"}\n', ErrorCode.InvalidRequest, /id must be/],
  ];
  for (const [line, code, message] of cases) {
    const before = client.messages.length;
    client.send(line);
    await waitFor(`the reply to ${line.trim()}`, () => client.messages.length > before);
    const reply = client.messages[before] as Record<string, unknown>;
    assert.equal(reply.id, null, line);
    assert.equal(errorOf(reply).code, code, line);
    assert.match(errorOf(reply).message, message, line);
  }
  client.send({ id: 5, method: 'status.get' });
  assert.match(errorOf(await client.reply(5)).message, /jsonrpc must be "2.0"/);
  client.send({ jsonrpc: '2.0', id: 6, method: 7 });
  assert.equal(errorOf(await client.reply(6)).code, ErrorCode.InvalidRequest);
  // Bad input is logged once per kind, not once per request.
  client.send('{still not json\n');
  assert.ok((await client.request(7, 'status.get')).result);
  assert.equal(
    logger.records.filter(
      (record) =>
        record.event === 'control-bad-request' && /not valid JSON/.test(String(record.fields.error)),
    ).length,
    1,
  );
});

test('an unknown method is MethodNotFound listing the methods', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const error = errorOf(await client.request(1, 'status.explode'));
  assert.equal(error.code, ErrorCode.MethodNotFound);
  assert.match(
    error.message,
    /unknown method "status.explode"; methods are: hello, status.get, status.subscribe, command/,
  );
  assert.ok((error.data as { methods: string[] }).methods.includes('logs.tail'));
});

test('monitors.lateness answers the scheduler figures and resets them only when asked', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.lateness = { checks: 120, meanMs: 1.5, p50Ms: 1, p99Ms: 7, maxMs: 9, deferred: 2 };
  const client = await LineClient.connect(t, socket);
  const read = await client.request(1, 'monitors.lateness', {});
  assert.deepEqual(read.result, backend.lateness);
  assert.equal(backend.latenessResets, 0);
  const reset = await client.request(2, 'monitors.lateness', { reset: true });
  assert.deepEqual(reset.result, backend.lateness);
  assert.equal(backend.latenessResets, 1);
});

test('bad params are InvalidParams naming the param', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const cases: [string, unknown, RegExp][] = [
    ['hello', {}, /param protocol: expected an integer protocol version, got nothing/],
    ['hello', { protocol: '1' }, /param protocol: expected an integer/],
    ['status.get', { verbose: true }, /unknown param "verbose" for status.get; it takes none/],
    ['status.get', [1, 2], /params of status.get must be an object of named params, not a list/],
    ['command', {}, /param command: expected an object/],
    ['command', { command: { op: 'explode' } }, /param command.op: expected one of cluster-start, /],
    [
      'command',
      { command: { op: 'group-move', group: 'web' } },
      /param command.to: expected a non-empty string \(the server name\), got nothing/,
    ],
    [
      'command',
      { command: { op: 'group-stop', group: '' } },
      /param command.group: expected a non-empty string/,
    ],
    [
      'command',
      { command: { op: 'group-stop', group: 'web', force: true } },
      /unknown param command.force for group-stop; it takes op, group/,
    ],
    [
      'alerts.list',
      { unacknowledgedOnly: 'yes' },
      /param unacknowledgedOnly: expected true or false, got "yes"/,
    ],
    ['alerts.ack', { ids: [] }, /param ids: expected "all" or a list of 1 to/],
    ['alerts.ack', { ids: ['a', 3] }, /param ids\[1\]: expected a non-empty alert id, got 3/],
    ['alerts.ack', { ids: 'all', note: 5 }, /param note: expected a string/],
    ['logs.tail', { lines: -1 }, /param lines: expected an integer from 0 to 10000, got -1/],
    ['logs.tail', { lines: 2.5 }, /param lines/],
    ['logs.tail', { follow: 1 }, /param follow: expected true or false/],
    ['monitors.lateness', { reset: 'yes' }, /param reset: expected true or false, got "yes"/],
    ['monitors.lateness', { all: true }, /unknown param "all" for monitors.lateness/],
  ];
  let id = 0;
  for (const [method, params, message] of cases) {
    const error = errorOf(await client.request(++id, method, params));
    assert.equal(error.code, ErrorCode.InvalidParams, `${method} ${JSON.stringify(params)}`);
    assert.match(error.message, message, `${method} ${JSON.stringify(params)}`);
  }
});

test('a request without id (a notification) is carried out but not answered', async (t) => {
  const { socket, backend } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  client.send({ jsonrpc: '2.0', method: 'command', params: { command: { op: 'cluster-suspend' } } });
  client.send({ jsonrpc: '2.0', method: 'no.such.method' });
  await client.request(1, 'status.get');
  await waitFor('the command', () => backend.commands.length === 1);
  assert.equal(client.messages.length, 1);
});

test('a line longer than the limit gets an error and the connection is closed; others carry on', async (t) => {
  const { socket, server } = await startServer(t, { maxLineBytes: 4096 });
  const client = await LineClient.connect(t, socket);
  client.send(`{"jsonrpc":"2.0","id":1,"method":"status.get","params":{"pad":"${'x'.repeat(10_000)}`);
  await waitFor('the connection to close', () => client.ended);
  const error = errorOf(client.messages[0] as Record<string, unknown>);
  assert.equal(error.code, ErrorCode.InvalidRequest);
  assert.match(error.message, /request longer than 4096 bytes; closing the connection/);
  await waitFor('the server to forget it', () => server.connectionCount === 0);
  const other = await LineClient.connect(t, socket);
  assert.ok((await other.request(1, 'status.get')).result);
});

test('the default line limit is 1 MiB: a 1 MiB request is refused, a large one below is served', async (t) => {
  const { socket } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const note = 'n'.repeat(1500);
  assert.ok(
    (
      await client.request(1, 'alerts.ack', {
        ids: Array.from({ length: 500 }, (_, i) => `id-${i}-${note.slice(0, 1000)}`),
      })
    ).result,
  );
  client.send(`${'y'.repeat(1024 * 1024 + 1)}\n`);
  await waitFor('the connection to close', () => client.ended);
  assert.match(
    errorOf(client.messages.at(-1) as Record<string, unknown>).message,
    /request longer than 1048576 bytes/,
  );
});

test('serveStream serves any duplex with the operator it is given', async (t) => {
  const { PassThrough, Duplex } = await import('node:stream');
  const { server, backend, logger } = await startServer(t);
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  server.serveStream(Duplex.from({ readable: toServer, writable: fromServer }), 'alice');
  const lines: string[] = [];
  fromServer.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  toServer.write(
    `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'command', params: { command: { op: 'cluster-stop' } } })}\n`,
  );
  await waitFor('the reply', () => lines.length > 0);
  assert.deepEqual(JSON.parse(lines[0] as string).result, { message: 'accepted cluster-stop' });
  assert.equal(backend.commands[0]?.operator, 'alice');
  assert.equal(logger.records.find((record) => record.event === 'control-call')?.fields.operator, 'alice');
});

test('operatorOf names the operator of unix-socket connections', async (t) => {
  const { socket, backend } = await startServer(t, { operatorOf: () => 'bob' });
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'command', { command: { op: 'cluster-start' } });
  assert.equal(backend.commands[0]?.operator, 'bob');
});
