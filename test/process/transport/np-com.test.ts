// The com partition method's facts from a real serial line: two ComLinks on a socat pseudo-terminal
// pair; alpha's NpGatherer reports the peer answered while beta's frames arrive, and not once beta
// has been silent for a heartbeat timeout.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { NpGatherer } from '../../../src/agent/np-gatherer.js';
import type { NpFacts } from '../../../src/engine/quorum.js';
import { ComLink } from '../../../src/links/com.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';
import { clusterModel, waitFor } from './helpers.js';
import { SerialPair } from './socat.js';

const key = deriveKey(ClusterKey.fromBytes(randomBytes(32)), 'prod', 'heartbeat');

function comLink(self: string, peer: string, device: string): ComLink {
  return new ComLink({
    device,
    baudRate: 115_200,
    self,
    peer,
    cluster: 'prod',
    key,
    heartbeatIntervalMs: 100,
    logger: memoryLogger(),
    backoff: { initialMs: 50, maxMs: 300 },
  });
}

test(
  'com facts: the peer answered while its frames arrive, not after a silent heartbeat timeout',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-npcom-'));
    const pair = new SerialPair(join(dir, 'A'), join(dir, 'B'));
    const alpha = comLink('alpha', 'beta', pair.a);
    const beta = comLink('beta', 'alpha', pair.b);
    const model = clusterModel('prod', [
      ['alpha', ['127.0.0.1']],
      ['beta', ['127.0.0.2']],
    ]);
    model.partition = { methods: [{ kind: 'com' }], action: 'stop-service' };
    model.timing = { ...model.timing, heartbeatIntervalMs: 100, heartbeatTimeoutMs: 600 };
    const facts: NonNullable<NpFacts['com']>[] = [];
    const gatherer = new NpGatherer({
      model,
      self: 'alpha',
      witnessKey: Buffer.alloc(32),
      now: () => performance.now(),
      feed: (fact) => fact.com && facts.push(fact.com),
      log: () => undefined,
      comHeardAt: () => alpha.stats().beta?.lastHeardAt ?? null,
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await pair.start();
      await Promise.all([alpha.start(), beta.start()]);
      let seq = 0;
      timer = setInterval(() => beta.sendHeartbeat(bareHeartbeat(20, ++seq)), 50);
      gatherer.resolve(true, true);
      await waitFor('a com fact saying the peer answered', () => facts.at(-1)?.peerAnswered === true, 15_000);
      clearInterval(timer);
      const silentAt = performance.now();
      await waitFor(
        'a com fact saying the peer is silent',
        () => facts.at(-1)?.peerAnswered === false,
        15_000,
      );
      // Not before a heartbeat timeout of silence.
      assert.ok(facts.at(-1)!.at - silentAt >= 600 - 150, `silent after ${facts.at(-1)!.at - silentAt} ms`);
    } finally {
      clearInterval(timer);
      gatherer.stop();
      await Promise.all([alpha.close(), beta.close()]);
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
