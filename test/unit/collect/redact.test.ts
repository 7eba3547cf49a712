// The config served to log collection: secrets out (by name and by shape), everything else as it was,
// and a list of what was replaced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { redactedConfigYaml } from '../../../src/collect/config-yaml.js';
import { redactConfig } from '../../../src/collect/redact.js';
import { tempDir } from '../control/helpers.js';

function config(operatorKey: string) {
  return {
    cluster: { name: 'prod', keyFile: '/etc/vigil/cluster.key', peerPort: 29011 },
    servers: [{ name: 's1', addresses: ['10.0.0.1'] }],
    groups: [
      {
        name: 'db',
        resources: [
          {
            name: 'pg',
            type: 'exec',
            start: 'pg-start --user app --password hunter2 --port 5432',
            stop: 'PGPASSWORD=s3cr3t pg_ctl stop --db-token=tok123',
            env: { DB_PASSWORD: 'letmein', API_TOKEN: 'abc', LANG: 'C' },
          },
        ],
      },
    ],
    monitors: [
      {
        name: 'health',
        type: 'http',
        url: 'https://admin:pa55@db.example.com:8443/health?key=qwerty#frag',
        expectStatus: 200,
      },
      { name: 'plain', type: 'http', url: 'http://127.0.0.1:8080/ready', expectStatus: 200 },
    ],
    operators: [{ name: 'alice', key: operatorKey, role: 'admin' }],
    alerts: [
      { name: 'chat', type: 'webhook', url: 'https://hooks.example.com/services/T00/B00/XXXXSECRET' },
      { name: 'ops', type: 'exec', command: 'notify --auth-token=zzz --to ops' },
      { name: 'hdr', type: 'custom', headers: { Authorization: 'Bearer abc', 'X-Api': 'def' } },
    ],
  };
}

test('secrets are replaced, the rest is kept, and each replacement is listed', async (t) => {
  const dir = await tempDir(t);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', join(dir, 'k')]);
  const publicKey = readFileSync(join(dir, 'k.pub'), 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'k.pub')], {
    encoding: 'utf8',
  }).split(' ')[1];
  const { value, redacted } = redactConfig(config(publicKey));
  const text = JSON.stringify(value);
  for (const secret of [
    'hunter2',
    's3cr3t',
    'tok123',
    'letmein',
    '"abc"',
    'pa55',
    'admin:',
    'qwerty',
    'frag',
    'XXXXSECRET',
    'zzz',
    'Bearer',
    'def',
    publicKey.split(' ')[1] as string,
  ])
    assert.ok(!text.includes(secret), `${secret} is still in ${text}`);
  const resource = value.groups[0]?.resources[0];
  assert.equal(resource?.start, 'pg-start --user app --password [redacted] --port 5432');
  assert.equal(resource?.stop, 'PGPASSWORD=[redacted] pg_ctl stop --db-token=[redacted]');
  assert.deepEqual(resource?.env, { DB_PASSWORD: '[redacted]', API_TOKEN: '[redacted]', LANG: 'C' });
  assert.equal(value.monitors[0]?.url, 'https://[redacted]@db.example.com:8443/health?[redacted]');
  assert.equal(value.monitors[1]?.url, 'http://127.0.0.1:8080/ready', 'a URL without secrets is kept');
  assert.equal(value.alerts[0]?.url, 'https://hooks.example.com/[redacted]');
  assert.deepEqual(value.alerts[2]?.headers, { Authorization: '[redacted]', 'X-Api': '[redacted]' });
  assert.equal(value.operators[0]?.key, `ssh-ed25519 ${fingerprint} (key [redacted])`);
  assert.equal(value.cluster.keyFile, '/etc/vigil/cluster.key', 'the key file path is kept');
  assert.equal(value.cluster.peerPort, 29011);
  assert.deepEqual(redacted, [
    'groups[0].resources[0].start: values of secret-like options',
    'groups[0].resources[0].stop: values of secret-like options',
    'groups[0].resources[0].env.DB_PASSWORD: the whole value (secret-like name)',
    'groups[0].resources[0].env.API_TOKEN: the whole value (secret-like name)',
    'monitors[0].url: URL credentials, URL query, URL fragment',
    'operators[0].key: the key itself (kept: type and fingerprint)',
    'alerts[0].url: webhook URL path (it may be the token)',
    'alerts[1].command: values of secret-like options',
    'alerts[2].headers: every header value (headers may carry tokens)',
  ]);
});

test('the YAML served says what was replaced and parses back to the redacted config', async () => {
  const served = await redactedConfigYaml(config('not a key'), 's2');
  assert.equal(served.server, 's2');
  assert.match(served.yaml, /^# The cluster config as vigild on s2 loaded it/);
  assert.match(served.yaml, /cluster key file's contents are never included/);
  assert.match(served.yaml, /^# {3}- alerts\[0\]\.url: webhook URL path/m);
  assert.match(served.yaml, /^# {3}- operators\[0\]\.key: the key itself$/m);
  const parsed = parse(served.yaml) as ReturnType<typeof config>;
  assert.equal(parsed.operators[0]?.key, '[redacted]');
  assert.equal(parsed.cluster.name, 'prod');
  assert.match(
    (await redactedConfigYaml({ cluster: { name: 'x' } }, 's1')).yaml,
    /nothing else was replaced/,
  );
});
