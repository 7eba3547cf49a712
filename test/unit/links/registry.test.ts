import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import type { ClusterModel, ServerModel } from '../../../src/engine/model.js';
import type { LanLink } from '../../../src/links/lan.js';
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
    assert.deepEqual((links[0] as LanLink).stats().gamma?.address, '10.0.0.3');
    assert.deepEqual(Object.keys(links[1]?.stats() ?? {}), ['beta']);
    assert.equal((links[1] as LanLink).stats().beta?.address, '10.1.0.2');
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test('COM pairs the two servers that have com; DISK joins every server with a disk slot each', async () => {
  const cluster = model([
    server(
      'alpha',
      ['10.0.0.1'],
      [
        { id: 'com', kind: 'com', device: '/dev/ttyS0' },
        { id: 'disk', kind: 'disk', device: '/dev/sdb1' },
      ],
    ),
    server('beta', ['10.0.0.2'], [{ id: 'com', kind: 'com', device: '/dev/ttyUSB0' }]),
    server('gamma', ['10.0.0.3']),
  ]);
  const { links, warnings } = createLinks(cluster, 'alpha', { ...options, comBaudRate: 9600 });
  try {
    assert.deepEqual(
      links.map((link) => `${link.id}:${link.kind}`),
      ['lan0:lan', 'com:com', 'disk:disk'],
    );
    assert.deepEqual(Object.keys(links[1]?.stats() ?? {}), ['beta']);
    assert.equal(links[1]?.local().endpoint, '/dev/ttyS0 @ 9600 baud');
    assert.equal(links[1]?.local().state, 'opening');
    assert.deepEqual(warnings, []);
    assert.deepEqual(Object.keys(links[2]?.stats() ?? {}), ['beta', 'gamma']);
    assert.equal(links[2]?.local().state, 'opening');
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test('COM with no far end, or on three servers, is left out with a warning', async () => {
  const com = (device: string) => [{ id: 'com', kind: 'com' as const, device }];
  const lone = createLinks(
    model([server('alpha', ['10.0.0.1'], com('/dev/ttyS0')), server('beta', ['10.0.0.2'])]),
    'alpha',
    options,
  );
  assert.deepEqual(
    lone.links.map((link) => link.id),
    ['lan0'],
  );
  assert.match(lone.warnings[0] ?? '', /no other server has com/);
  const crowded = createLinks(
    model([
      server('alpha', ['10.0.0.1'], com('/dev/ttyS0')),
      server('beta', ['10.0.0.2'], com('/dev/ttyS0')),
      server('gamma', ['10.0.0.3'], com('/dev/ttyS1')),
    ]),
    'alpha',
    options,
  );
  assert.deepEqual(
    crowded.links.map((link) => link.id),
    ['lan0'],
  );
  assert.match(crowded.warnings[0] ?? '', /3 servers have com, but a serial line joins exactly two/);
  await Promise.all([...lone.links, ...crowded.links].map((link) => link.close()));
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
