import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import type { ClusterModel, ServerModel } from '../../../src/engine/model.js';
import { createLinks } from '../../../src/links/registry.js';

function server(name: string, lan: string[], extra: ServerModel['links'] = []): ServerModel {
  return {
    name,
    links: [...lan.map((address, rank) => ({ id: `lan${rank}`, kind: 'lan' as const, address })), ...extra],
  };
}

function model(servers: ServerModel[]): ClusterModel {
  return {
    name: 'prod',
    timing: {
      heartbeatIntervalMs: 500,
      heartbeatTimeoutMs: 2000,
      npDeadlineMs: 1000,
      fenceDeadlineMs: 1000,
      takeoverDelayMs: 4500,
    },
    servers,
    partition: { methods: [{ kind: 'majority' }], action: 'stop-service' },
    groups: [],
    monitors: [],
  };
}

const options = { port: 29100, key: Buffer.alloc(32), logger: memoryLogger() };

test('one LAN link per interconnect, with the peers that have that interconnect', async () => {
  const cluster = model([
    server('alpha', ['10.0.0.1', '10.1.0.1']),
    server('beta', ['10.0.0.2', '10.1.0.2']),
    server('gamma', ['10.0.0.3']),
  ]);
  const { links, warnings } = createLinks(cluster, 'alpha', options);
  try {
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      links.map((link) => link.id),
      ['lan0', 'lan1'],
    );
    assert.deepEqual(Object.keys(links[0]?.stats() ?? {}), ['beta', 'gamma']);
    assert.deepEqual(links[0]?.stats().gamma?.address, '10.0.0.3');
    assert.deepEqual(Object.keys(links[1]?.stats() ?? {}), ['beta']);
    assert.equal(links[1]?.stats().beta?.address, '10.1.0.2');
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test('COM and DISK links are warnings that say what to do, not errors', async () => {
  const cluster = model([
    server(
      'alpha',
      ['10.0.0.1'],
      [
        { id: 'com', kind: 'com', device: '/dev/ttyS0' },
        { id: 'disk', kind: 'disk', device: '/dev/sdb1' },
      ],
    ),
    server('beta', ['10.0.0.2']),
  ]);
  const { links, warnings } = createLinks(cluster, 'alpha', options);
  try {
    assert.equal(links.length, 1);
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0] ?? '',
      /^server alpha: link kind com is not implemented yet .*Remove com: from server alpha/,
    );
    assert.match(warnings[1] ?? '', /link kind disk is not implemented yet/);
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test('a peer on another IP version is left off that link with a warning', async () => {
  const cluster = model([server('alpha', ['10.0.0.1']), server('beta', ['fd00::2'])]);
  const { links, warnings } = createLinks(cluster, 'alpha', options);
  try {
    assert.deepEqual(Object.keys(links[0]?.stats() ?? {}), []);
    assert.match(warnings[0] ?? '', /different IP versions; beta is left off lan0/);
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test('an unknown self is a programming error', () => {
  assert.throws(
    () => createLinks(model([server('alpha', ['10.0.0.1'])]), 'zeta', options),
    /zeta is not in cluster prod/,
  );
});
