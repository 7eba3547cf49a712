// `vigil status` lists this server's end of each heartbeat link and the peer channel's interconnect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStatus } from '../../../src/cli/status-format.js';
import { styleFor } from '../../../src/cli/style.js';
import type { StatusSnapshot } from '../../../src/control/protocol.js';
import { healthySnapshot } from '../control/fake-backend.js';

test('link ends show state, endpoint and non-zero counters; a link not up is marked', () => {
  const snapshot: StatusSnapshot = {
    ...healthySnapshot(),
    linkEnds: [
      {
        id: 'lan0',
        kind: 'lan',
        state: 'up',
        endpoint: '10.0.0.1:29100',
        counters: { framesIn: 10, framesOut: 11, forged: 0 },
      },
      {
        id: 'com',
        kind: 'com',
        state: 'reopening',
        endpoint: '/dev/ttyS0 @ 115200 baud',
        counters: { framesIn: 5, framesOut: 6, crcErrors: 2, reopens: 1, hmacFailures: 0 },
        detail: '/dev/ttyS0 went away: EIO',
      },
    ],
    peerChannels: [{ peer: 's2', state: 'connected', via: 'lan1' }],
  };
  const text = formatStatus(snapshot, styleFor({ isTTY: false }, {}));
  const lines = text.split('\n');
  assert.ok(lines.includes(`links of ${snapshot.node}`), text);
  assert.match(text, /^ {2}lan0 +up +10\.0\.0\.1:29100 +in 10, out 11$/m);
  assert.match(
    text,
    /^! com +reopening +\/dev\/ttyS0 @ 115200 baud +in 5, out 6, crcErrors 2, reopens 1 \(\/dev\/ttyS0 went away: EIO\)$/m,
  );
  assert.doesNotMatch(text, /hmacFailures|forged 0/);
  assert.match(text, /^ {2}peer s2 +connected +channel via lan1$/m);
});

test('an agent that reports no link ends prints no links section', () => {
  const text = formatStatus(healthySnapshot(), styleFor({ isTTY: false }, {}));
  assert.doesNotMatch(text, /links of/);
});
