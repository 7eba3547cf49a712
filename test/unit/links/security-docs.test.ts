// docs/security.md must explain every reason a heartbeat or a peer connection is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PEER_CHANNEL_COUNTERS } from '../../../src/agent/peer-channel.js';
import { LAN_DROP_REASONS } from '../../../src/links/lan.js';

// From dist/test/unit/links/ back to the source tree.
const docs = readFileSync(fileURLToPath(new URL('../../../../docs/security.md', import.meta.url)), 'utf8');

test('every heartbeat drop reason has a row in docs/security.md', () => {
  const missing = LAN_DROP_REASONS.filter((reason) => !docs.includes(`| \`${reason}\``));
  assert.deepEqual(missing, []);
});

test('every peer channel counter is explained in docs/security.md', () => {
  const missing = PEER_CHANNEL_COUNTERS.filter((reason) => !docs.includes(`\`${reason}\``));
  assert.deepEqual(missing, []);
});
