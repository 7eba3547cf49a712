// Real serial lines: ComLinks on the two ends of a socat pseudo-terminal pair.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { encodeComFrame } from '../../../src/links/com-framing.js';
import { ComLink } from '../../../src/links/com.js';
import { encodeFrame } from '../../../src/links/frame.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';
import { waitFor } from './helpers.js';
import { SerialPair } from './socat.js';

const CLUSTER = 'prod';
const newKey = () => deriveKey(ClusterKey.fromBytes(randomBytes(32)), CLUSTER, 'heartbeat');

function comLink(self: string, peer: string, device: string, key: Buffer): ComLink {
  return new ComLink({
    device,
    baudRate: 115_200,
    self,
    peer,
    cluster: CLUSTER,
    key,
    heartbeatIntervalMs: 100,
    logger: memoryLogger(),
    backoff: { initialMs: 50, maxMs: 300 },
  });
}

/** Two links on a fresh socat pair, beating every 50 ms until the test ends. */
async function withPair(
  keys: [Buffer, Buffer],
  body: (ctx: {
    pair: SerialPair;
    alpha: ComLink;
    beta: ComLink;
    heard: string[];
    dir: string;
  }) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-com-'));
  const pair = new SerialPair(join(dir, 'A'), join(dir, 'B'));
  const alpha = comLink('alpha', 'beta', pair.a, keys[0]);
  const beta = comLink('beta', 'alpha', pair.b, keys[1]);
  const heard: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await pair.start();
    await Promise.all([alpha.start(), beta.start()]);
    alpha.onHeartbeat((from, link) => heard.push(`alpha<-${from}/${link}`));
    beta.onHeartbeat((from, link) => heard.push(`beta<-${from}/${link}`));
    let seq = 0;
    timer = setInterval(() => {
      seq++;
      alpha.sendHeartbeat(bareHeartbeat(10, seq));
      beta.sendHeartbeat(bareHeartbeat(20, seq));
    }, 50);
    await body({ pair, alpha, beta, heard, dir });
  } finally {
    clearInterval(timer);
    await Promise.all([alpha.close(), beta.close()]);
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('heartbeats cross a serial line both ways', { timeout: 30_000 }, async () => {
  const key = newKey();
  await withPair([key, key], async ({ alpha, beta, heard }) => {
    await waitFor(
      'ten frames each way',
      () => alpha.local().counters.framesIn! >= 10 && beta.local().counters.framesIn! >= 10,
      15_000,
    );
    assert.ok(heard.includes('alpha<-beta/com') && heard.includes('beta<-alpha/com'), heard.join(' '));
    for (const link of [alpha, beta]) {
      const { state, counters } = link.local();
      assert.equal(state, 'up');
      assert.equal(counters.crcErrors, 0);
      assert.equal(counters.hmacFailures, 0);
      assert.equal(counters.garbageBytes, 0);
      assert.ok(counters.framesOut! >= 10);
    }
  });
});

test(
  'garbage and corrupt frames are counted and skipped; the stream carries on',
  { timeout: 30_000 },
  async () => {
    const key = newKey();
    await withPair([key, key], async ({ pair, beta }) => {
      await waitFor('first frames', () => beta.local().counters.framesIn! >= 3, 15_000);
      // A second writer on alpha's end: what it writes reaches beta between alpha's own frames.
      const fd = openSync(pair.a, 'w');
      try {
        writeSync(fd, Buffer.from('noise on the line VG VGC\u00ff\u00ff more noise'));
        const good = encodeComFrame(
          encodeFrame(
            {
              cluster: CLUSTER,
              sender: 'alpha',
              incarnation: 99,
              seq: 1,
              sentAt: Date.now(),
              body: bareHeartbeat(99, 1),
            },
            key,
          ),
        );
        const corrupt = Buffer.from(good);
        corrupt[corrupt.length - 10] = corrupt[corrupt.length - 10]! ^ 0xff;
        writeSync(fd, corrupt);
        const forged = encodeComFrame(
          encodeFrame(
            {
              cluster: CLUSTER,
              sender: 'alpha',
              incarnation: 98,
              seq: 1,
              sentAt: Date.now(),
              body: bareHeartbeat(98, 1),
            },
            newKey(),
          ),
        );
        writeSync(fd, forged);
      } finally {
        closeSync(fd);
      }
      await waitFor(
        'beta to count the garbage, the CRC error and the forged frame',
        () => {
          const c = beta.local().counters;
          return c.garbageBytes! > 0 && c.crcErrors! >= 1 && c.hmacFailures! >= 1;
        },
        15_000,
      );
      const before = beta.local().counters.framesIn!;
      await waitFor(
        'frames to keep arriving after the noise',
        () => beta.local().counters.framesIn! >= before + 5,
        15_000,
      );
      assert.equal(beta.local().state, 'up');
    });
  },
);

test('a peer with another cluster key is never heard', { timeout: 30_000 }, async () => {
  await withPair([newKey(), newKey()], async ({ alpha, beta, heard }) => {
    await waitFor(
      'both ends to count HMAC failures',
      () => alpha.local().counters.hmacFailures! >= 5 && beta.local().counters.hmacFailures! >= 5,
      15_000,
    );
    assert.deepEqual(heard, []);
    assert.equal(alpha.local().counters.framesIn, 0);
    assert.equal(alpha.local().counters.crcErrors, 0);
  });
});

test('a cut cable takes the link down; a new cable brings it back', { timeout: 60_000 }, async () => {
  const key = newKey();
  await withPair([key, key], async ({ pair, alpha, beta }) => {
    await waitFor(
      'frames both ways',
      () => alpha.local().counters.framesIn! >= 3 && beta.local().counters.framesIn! >= 3,
      15_000,
    );
    await pair.stop();
    await waitFor(
      'both ends to see the device go',
      () => alpha.local().state !== 'up' && beta.local().state !== 'up',
      15_000,
    );
    assert.equal(alpha.local().state, 'reopening');
    assert.match(alpha.local().detail ?? '', /went away|cannot open/);
    const [alphaIn, betaIn] = [alpha.local().counters.framesIn!, beta.local().counters.framesIn!];
    await pair.start();
    await waitFor(
      'both ends to reopen and hear each other again',
      () =>
        alpha.local().state === 'up' &&
        beta.local().state === 'up' &&
        alpha.local().counters.framesIn! >= alphaIn + 3 &&
        beta.local().counters.framesIn! >= betaIn + 3,
      30_000,
    );
    assert.ok(alpha.local().counters.reopens! >= 1);
    assert.ok(beta.local().counters.reopens! >= 1);
  });
});
