// http against real node http and https servers on loopback. The https server has a self-signed
// certificate made with `openssl req` here: refused without its CA, accepted with caFile, accepted
// with tlsVerify: false.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkOnce } from './helpers.js';
import { CLOSED_PORT } from './servers.js';

const HTTP_PORT = 45810;
const HTTPS_PORT = 45811;
const base = `http://127.0.0.1:${HTTP_PORT}`;
const dir = mkdtempSync(join(tmpdir(), 'vigil-http-test-'));
const certFile = join(dir, 'cert.pem');
const methods: string[] = [];
const closers: (() => void)[] = [];

function handler(request: IncomingMessage, response: ServerResponse): void {
  methods.push(request.method ?? '');
  switch (request.url) {
    case '/health':
      return void response.end('{"status": "ok"}');
    case '/down':
      response.statusCode = 503;
      return void response.end('{"status": "down"}');
    case '/moved':
      response.writeHead(302, { location: '/health' });
      return void response.end();
    case '/slow':
      return; // never answers
    default:
      response.statusCode = 404;
      response.end('no such page');
  }
}

async function serve(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
}

before(async () => {
  // A self-signed certificate for 127.0.0.1 (it is its own CA).
  execFileSync(
    'openssl',
    [
      ...[
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ],
      ...['-keyout', join(dir, 'key.pem'), '-out', certFile, '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  await serve(createServer(handler), HTTP_PORT);
  await serve(
    createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(certFile) }, handler),
    HTTPS_PORT,
  );
});
after(() => {
  closers.forEach((close) => close());
  rmSync(dir, { recursive: true, force: true });
});

test('http is ok on a 200, and says what it saw', async () => {
  const result = await checkOnce('http', { url: `${base}/health` });
  assert.equal(result.ok, true);
  assert.match(result.detail, /^HTTP 200 from http:\/\/127\.0\.0\.1:45810\/health in \d+ ms$/);
});

test('http accepts any 2xx or 3xx by default, and exactly expectStatus when given', async () => {
  const moved = await checkOnce('http', { url: `${base}/moved` });
  assert.equal(moved.ok, true, moved.detail);
  const strict = await checkOnce('http', { url: `${base}/moved`, expectStatus: 200 });
  assert.equal(strict.ok, false);
  assert.match(strict.detail, /^HTTP 302 from http:\/\/127\.0\.0\.1:45810\/moved in \d+ ms, expected 200$/);
  const down = await checkOnce('http', { url: `${base}/down`, expectStatus: 503 });
  assert.equal(down.ok, true, down.detail);
});

test('http fails on a 503', async () => {
  const result = await checkOnce('http', { url: `${base}/down` });
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^HTTP 503 from http:\/\/127\.0\.0\.1:45810\/down in \d+ ms, expected 2xx or 3xx$/,
  );
});

test('http checks the body against the regular expression', async () => {
  const good = await checkOnce('http', { url: `${base}/health`, body: '"status":\\s*"ok"' });
  assert.equal(good.ok, true, good.detail);
  const bad = await checkOnce('http', { url: `${base}/health`, body: 'healthy' });
  assert.equal(bad.ok, false);
  assert.match(bad.detail, /but the body does not match \/healthy\/: "\{"status": "ok"\}"$/);
});

test('http sends the configured method', async () => {
  methods.length = 0;
  const result = await checkOnce('http', { url: `${base}/health`, method: 'HEAD' });
  assert.equal(result.ok, true, result.detail);
  assert.deepEqual(methods, ['HEAD']);
});

test('http times out through the signal when the server does not answer', async () => {
  const began = performance.now();
  const result = await checkOnce('http', { url: `${base}/slow` }, 400);
  assert.equal(result.ok, false);
  assert.match(result.detail, /^GET http:\/\/127\.0\.0\.1:45810\/slow: timed out after \d+ ms$/);
  assert.ok(performance.now() - began < 3000, 'the check did not give up promptly');
});

test('http reports connection refused', async () => {
  const result = await checkOnce('http', { url: `http://127.0.0.1:${CLOSED_PORT}/` });
  assert.equal(result.ok, false);
  assert.equal(result.detail, `GET http://127.0.0.1:${CLOSED_PORT}/: connection refused`);
});

test('http never shows the user name and password of the URL', async () => {
  const result = await checkOnce('http', { url: `http://monitor:s3cret-pw@127.0.0.1:${HTTP_PORT}/down` });
  assert.equal(result.ok, false);
  assert.match(result.detail, /^HTTP 503 from http:\/\/127\.0\.0\.1:45810\/down/);
  assert.ok(!`${result.detail}${result.logs}`.includes('s3cret-pw'));
  assert.ok(!result.detail.includes('monitor'));
});

test('https refuses a certificate it cannot verify', async () => {
  const result = await checkOnce('http', { url: `https://127.0.0.1:${HTTPS_PORT}/health` });
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    `GET https://127.0.0.1:${HTTPS_PORT}/health: TLS certificate not trusted: it is self-signed (give caFile)`,
  );
});

test('https accepts the certificate when caFile names its CA', async () => {
  const result = await checkOnce('http', { url: `https://127.0.0.1:${HTTPS_PORT}/health`, caFile: certFile });
  assert.equal(result.ok, true, result.detail);
  assert.match(result.detail, /^HTTP 200 from https:\/\/127\.0\.0\.1:45811\/health in \d+ ms$/);
});

test('https with tlsVerify: false accepts any certificate', async () => {
  const result = await checkOnce('http', { url: `https://127.0.0.1:${HTTPS_PORT}/health`, tlsVerify: false });
  assert.equal(result.ok, true, result.detail);
});

test('https fails clearly when caFile cannot be read', async () => {
  const missing = join(dir, 'missing.pem');
  const result = await checkOnce('http', { url: `https://127.0.0.1:${HTTPS_PORT}/health`, caFile: missing });
  assert.equal(result.ok, false);
  assert.match(result.detail, new RegExp(`^cannot read caFile ${missing}: ENOENT`));
});
