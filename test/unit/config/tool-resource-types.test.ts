// The config keys of the systemd, volmgr, nas, ddns, container and vm resource types: the example in
// docs/configuration.md loads, defaults are filled, and bad values are refused with the key's path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfigText } from '../../../src/config/index.js';
import { repoPath } from './paths.js';

const docs = readFileSync(repoPath('docs/configuration.md'), 'utf8');
const snippet = /```yaml\nresources:\n( {2}- \{ name: shared, type: volmgr[\s\S]*?)```/.exec(docs)?.[1];

function config(resources: string): string {
  return [
    'cluster: { name: c1 }',
    'servers:',
    '  - { name: s1, lan: [10.0.0.1] }',
    '  - { name: s2, lan: [10.0.0.2] }',
    'groups:',
    '  - name: db',
    '    resources:',
    resources.replace(/^/gm, '    ').trimEnd(),
    '',
  ].join('\n');
}

test('the example of docs/configuration.md loads, with the defaults filled in', () => {
  assert.ok(snippet !== undefined, 'the example is in docs/configuration.md');
  const result = loadConfigText(config(snippet), 'cluster.yaml');
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.problems));
  const params = Object.fromEntries(result.model.groups[0]!.resources.map((r) => [r.name, r.params]));
  assert.deepEqual(params.shared, { vg: 'vg_shared', takeover: 'failover' });
  assert.deepEqual(params['db-dns'], {
    server: '10.1.0.53',
    port: 53,
    dnsName: 'db.example.net',
    ttl: 60,
    keyFile: '/etc/vigil/ddns.key',
    address: '10.1.0.200',
  });
  assert.equal(params.media?.lazyUnmount, false);
  assert.equal(params.cache?.stopGrace, '10s');
});

test('a ddns address may be one IP or one per server', () => {
  const resource =
    '- { name: d, type: ddns, server: ns1.example.net, dnsName: db.example.net, keyFile: /k, address: { s1: 10.0.0.1, s2: "fd00::2" } }';
  const result = loadConfigText(config(resource), 'cluster.yaml');
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.problems));
  assert.deepEqual(result.model.groups[0]?.resources[0]?.params.address, { s1: '10.0.0.1', s2: 'fd00::2' });
});

test('bad values of the new types are refused at their path', () => {
  const cases: [string, string][] = [
    ['- { name: u, type: systemd, unit: "web service" }', 'groups[0].resources[0].unit'],
    ['- { name: v, type: volmgr, vg: vg1, takeover: always }', 'groups[0].resources[0].takeover'],
    ['- { name: n, type: nas, share: nas1-export, mountPoint: /srv/x }', 'groups[0].resources[0].share'],
    ['- { name: n, type: nas, share: "nas1:/x", mountPoint: srv/x }', 'groups[0].resources[0].mountPoint'],
    [
      '- { name: d, type: ddns, server: 10.0.0.53, dnsName: a.b, keyFile: /k, address: 10.0.0.300 }',
      'groups[0].resources[0].address',
    ],
    ['- { name: c, type: container, image: "a b" }', 'groups[0].resources[0].image'],
    [
      '- { name: d, type: ddns, server: h, dnsName: a.b, keyFile: /k, address: { s1: nope } }',
      'groups[0].resources[0].address.s1',
    ],
    ['- { name: m, type: vm, domain: erp, shutdownTimeout: soon }', 'groups[0].resources[0].shutdownTimeout'],
  ];
  for (const [resource, path] of cases) {
    const result = loadConfigText(config(resource), 'cluster.yaml');
    assert.ok(!result.ok, resource);
    assert.ok(
      result.problems.some((problem) => problem.severity === 'error' && problem.path === path),
      `${resource}: ${JSON.stringify(result.problems.map((p) => [p.path, p.message]))}`,
    );
  }
});
