import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeaseBook } from '../../../src/witness/leases.js';
import { parseLeaseRequest, mac, WITNESS_PATH, MAC_HEADER, type LeaseRequest } from '../../../src/witness/protocol.js';
import { createWitnessServer } from '../../../src/witness/server.js';
import { WitnessClient } from '../../../src/witness/client.js';

const req = (server: string, seq: number, op: LeaseRequest['op'] = 'acquire'): LeaseRequest => ({
  cluster: 'c1',
  server,
  op,
  durationMs: 1000,
  seq,
  nonce: `nonce-000${seq}`,
});

test('one holder at a time; the holder renews; a lease nobody renews runs out', () => {
  const book = new LeaseBook();
  assert.equal(book.decide(req('s1', 1), 0).granted, true);
  assert.deepEqual(book.decide(req('s2', 1), 500), { granted: false, holder: 's1', remainingMs: 0 });
  assert.equal(book.decide(req('s1', 2), 900).granted, true, 'renewal');
  assert.equal(book.decide(req('s2', 2), 1800).granted, false, 'renewed until 1900');
  assert.equal(book.decide(req('s2', 3), 1900).granted, true, 'ran out at 1900');
});

test('a restarted witness grants nothing until any lease it may have granted before has run out', () => {
  const book = new LeaseBook(60_000);
  const early = book.decide(req('s1', 1), 1000);
  assert.equal(early.granted, false);
  assert.match(early.error ?? '', /restarted and grants nothing for another 59000 ms/);
  assert.equal(book.decide(req('s1', 2), 60_000).granted, true);
});

test('a release frees the lease at once; only the holder can release it', () => {
  const book = new LeaseBook();
  book.decide(req('s1', 1), 0);
  book.decide(req('s2', 1, 'release'), 10);
  assert.equal(book.holderOf('c1', 10), 's1');
  book.decide(req('s1', 2, 'release'), 20);
  assert.equal(book.holderOf('c1', 20), null);
  assert.equal(book.decide(req('s2', 2), 30).granted, true);
});

test('a replayed or reordered request is refused and changes nothing', () => {
  const book = new LeaseBook();
  book.decide(req('s1', 5), 0);
  const replay = book.decide(req('s1', 5), 1500);
  assert.equal(replay.granted, false);
  assert.match(replay.error ?? '', /stale request/);
  assert.equal(book.holderOf('c1', 1500), null, 'the replay did not renew the lease');
});

test('malformed requests are named precisely', () => {
  assert.equal(parseLeaseRequest('nope'), 'the body is not JSON');
  assert.match(String(parseLeaseRequest(JSON.stringify({ ...req('s1', 1), op: 'steal' }))), /op: must be/);
  assert.match(String(parseLeaseRequest(JSON.stringify({ ...req('s1', 1), durationMs: 0 }))), /durationMs/);
  assert.deepEqual(parseLeaseRequest(JSON.stringify(req('s1', 1))), req('s1', 1));
});

async function witness(key: Buffer) {
  const lines: { event: string; fields: Record<string, unknown> }[] = [];
  const server = createWitnessServer({
    cluster: 'c1',
    key,
    quiet: false,
    log: (event, fields) => lines.push({ event, fields }),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { server, url, lines };
}

test('client and server over HTTP: grant, refusal naming the holder, release', async () => {
  const key = Buffer.alloc(32, 7);
  const w = await witness(key);
  try {
    const s1 = new WitnessClient(w.url, 'c1', 's1', key);
    const s2 = new WitnessClient(w.url, 'c1', 's2', key);
    const first = await s1.ask('acquire', 2000, 1000);
    assert.deepEqual([first.granted, first.remainingMs, first.detail], [true, 2000, 'granted']);
    const second = await s2.ask('acquire', 2000, 1000);
    assert.deepEqual([second.granted, second.holder, second.detail], [false, 's1', 'held by s1']);
    await s1.ask('release', 1, 1000);
    assert.equal((await s2.ask('acquire', 2000, 1000)).granted, true);
    assert.ok(w.lines.some((l) => l.event === 'witness-decision' && l.fields.server === 's2' && l.fields.granted));
  } finally {
    w.server.close();
  }
});

test('a client with the wrong key is refused, and a forged answer is not believed', async () => {
  const w = await witness(Buffer.alloc(32, 7));
  try {
    const intruder = new WitnessClient(w.url, 'c1', 's1', Buffer.alloc(32, 8));
    const answer = await intruder.ask('acquire', 2000, 1000);
    assert.equal(answer.granted, false);
    assert.match(answer.detail, /HTTP 401: not authenticated/);
    assert.equal(w.lines.at(-1)?.event, 'witness-refused');
    assert.ok(!JSON.stringify(w.lines).includes(Buffer.alloc(32, 7).toString('hex')), 'no key in the log');
  } finally {
    w.server.close();
  }
});

test('bad input gets a clear status and the witness keeps serving', async () => {
  const key = Buffer.alloc(32, 7);
  const w = await witness(key);
  try {
    const post = (body: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const r = request(`${w.url.slice(0, -1)}${WITNESS_PATH}`, { method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end(body);
      });
    assert.equal(await post('{}', { [MAC_HEADER]: 'zz' }), 401);
    assert.equal(await post('not json', { [MAC_HEADER]: mac(key, 'not json') }), 400);
    const other = JSON.stringify({ ...req('s1', 1), cluster: 'c2' });
    assert.equal(await post(other, { [MAC_HEADER]: mac(key, other) }), 400);
    assert.equal(await post('x'.repeat(10_000), {}), 413);
    const after = await new WitnessClient(w.url, 'c1', 's1', key).ask('acquire', 1000, 1000);
    assert.equal(after.granted, true, after.detail);
  } finally {
    w.server.close();
  }
});

test('an unreachable witness is an answer of "not granted" with the reason', async () => {
  const client = new WitnessClient('http://127.0.0.1:9/', 'c1', 's1', Buffer.alloc(32, 7));
  const answer = await client.ask('acquire', 1000, 500);
  assert.equal(answer.granted, false);
  assert.match(answer.detail, /cannot reach the witness at http:\/\/127.0.0.1:9\//);
});
