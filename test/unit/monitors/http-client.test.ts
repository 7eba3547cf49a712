// The http check's own HTTP/1.1 client against a raw TCP server that answers with canned bytes: the
// request it sends, interim 1xx answers, chunked and length-delimited bodies, broken answers.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { httpOnce, requestText, type HttpResponse } from '../../../src/monitors/http-client.js';

let server: Server;
/** A port the kernel picks: a fixed one in the ephemeral range can be held by any outgoing connection. */
let port = 0;
/** What the server answers to the next request, and the request it received. */
let answer: (socket: Socket) => void = (socket) => socket.end();
let lastRequest = '';

before(async () => {
  server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (data) => {
      lastRequest = data.toString('latin1');
      answer(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

function get(path: string, readBody: boolean, maxBodyBytes = 1024 * 1024): Promise<HttpResponse> {
  const url = new URL(`http://127.0.0.1:${port}${path}`);
  return httpOnce(
    { url, method: 'GET', readBody, maxBodyBytes, tlsVerify: true },
    new AbortController().signal,
  );
}

test('the request: path and query, Host, Connection: close, credentials as Basic auth, POST with no body', () => {
  const text = requestText(new URL('http://mon%40x:p%3Aw@example.org:8080/a/b?c=1'), 'GET');
  assert.equal(
    text,
    'GET /a/b?c=1 HTTP/1.1\r\nHost: example.org:8080\r\nUser-Agent: vigil-monitor\r\nConnection: close\r\n' +
      `Authorization: Basic ${Buffer.from('mon@x:p:w').toString('base64')}\r\n\r\n`,
  );
  assert.match(
    requestText(new URL('http://[::1]/'), 'POST'),
    /^POST \/ HTTP\/1\.1\r\nHost: \[::1\]\r\n.*Content-Length: 0\r\n\r\n$/s,
  );
});

test('status only: the answer is taken at the end of the headers, 1xx answers skipped', async () => {
  answer = (socket) =>
    socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nX: y\r\n\r\n');
  assert.deepEqual(await get('/x?y=1', false), { status: 503, text: '' });
  assert.match(lastRequest, /^GET \/x\?y=1 HTTP\/1\.1\r\n/);
});

test('a chunked body is decoded, also when the bytes come in pieces', async () => {
  answer = (socket) => {
    const bytes =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"st\r\nC\r\natus": "ok"}\r\n0\r\n\r\n';
    let i = 0;
    const timer = setInterval(() => {
      socket.write(bytes.slice(i, i + 7));
      i += 7;
      if (i >= bytes.length) clearInterval(timer);
    }, 2);
  };
  assert.deepEqual(await get('/', true), { status: 200, text: '{"status": "ok"}' });
});

test('a body by Content-Length ends there, one without a length at the close; both capped', async () => {
  answer = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
  assert.deepEqual(await get('/', true), { status: 200, text: 'hello' });
  answer = (socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
  assert.deepEqual(await get('/', true), { status: 200, text: 'until the end' });
  answer = (socket) => socket.write(`HTTP/1.1 200 OK\r\n\r\n${'x'.repeat(5000)}`);
  assert.deepEqual(await get('/', true, 100), { status: 200, text: 'x'.repeat(100) });
});

test('broken answers fail with clear errors', async () => {
  answer = (socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
  await assert.rejects(get('/', false), /not an HTTP response: "SSH-2\.0-OpenSSH_9\.2"/);
  answer = (socket) => socket.end();
  await assert.rejects(get('/', false), (error: Error & { code?: string }) => error.code === 'ECONNRESET');
  answer = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort');
  await assert.rejects(get('/', true), (error: Error & { code?: string }) => error.code === 'ECONNRESET');
});

test('the signal aborts a request that gets no answer', async () => {
  answer = () => {};
  const abort = new AbortController();
  const url = new URL(`http://127.0.0.1:${port}/`);
  const pending = httpOnce(
    { url, method: 'GET', readBody: false, maxBodyBytes: 1, tlsVerify: true },
    abort.signal,
  );
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(pending, /aborted/);
});
