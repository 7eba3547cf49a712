// ~/.ssh/config resolution for --node: first value wins, IdentityFile collects, patterns and negation,
// Include, ProxyJump, and which port applies to the agent's endpoint and to a site's sshd.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_ENDPOINT_PORT, resolveNodeTarget } from '../../../src/remote/node-target.js';
import { hostPatternsMatch, optionsFor, parseSshConfig } from '../../../src/remote/ssh-config.js';
import { tempDir } from '../control/helpers.js';

const config = `
# global defaults come first in real files, but OpenSSH takes the first value obtained
Host db*  !db-old
    HostName %h.internal.example
    User dba
    IdentityFile ~/.ssh/db_key
Host db1
    Port 2222
    User ignored
    IdentityFile=~/.ssh/db1_key
Host bastion
    HostName 203.0.113.9
    User jump
    Port 2200
Host behind
    HostName 10.1.2.3
    ProxyJump ops@bastion
Host "quoted"
    HostName q.example
Match host x
    User from-match
Host *
    User everyone
    IdentityFile %d/.ssh/id_%u
`;

test('first value wins per keyword, IdentityFile collects, negation excludes', () => {
  const blocks = parseSshConfig(config);
  const db1 = optionsFor(blocks, 'db1');
  assert.deepEqual(db1.get('hostname'), ['%h.internal.example']);
  assert.deepEqual(db1.get('user'), ['dba']);
  assert.deepEqual(db1.get('port'), ['2222']);
  assert.deepEqual(db1.get('identityfile'), ['~/.ssh/db_key', '~/.ssh/db1_key', '%d/.ssh/id_%u']);
  assert.deepEqual(optionsFor(blocks, 'db-old').get('user'), ['everyone']);
  assert.deepEqual(optionsFor(blocks, 'quoted').get('hostname'), ['q.example']);
  assert.deepEqual(optionsFor(blocks, 'x').get('user'), ['everyone'], 'Match blocks never apply');
  assert.ok(hostPatternsMatch(['*', '!a'], 'b'));
  assert.ok(!hostPatternsMatch(['*', '!a'], 'a'));
});

test('--node resolves HostName, User, keys; the endpoint port is 29022 unless --ssh-port', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, '.ssh'));
  await writeFile(join(home, '.ssh', 'config'), config);
  const base = { home, localUser: 'alice' };
  const db1 = resolveNodeTarget('db1', base);
  assert.deepEqual(db1, {
    alias: 'db1',
    hostname: 'db1.internal.example',
    port: DEFAULT_ENDPOINT_PORT,
    user: 'dba',
    identityFiles: [join(home, '.ssh/db_key'), join(home, '.ssh/db1_key'), join(home, '.ssh/id_alice')],
    method: 'endpoint',
    socketPath: '/run/vigil/vigild.sock',
  });
  // The config's Port is the site's sshd: it counts with --via openssh only.
  assert.equal(resolveNodeTarget('db1', { ...base, method: 'openssh' }).port, 2222);
  assert.equal(resolveNodeTarget('other', { ...base, method: 'openssh' }).port, 22);
  assert.equal(resolveNodeTarget('db1', { ...base, port: 4000 }).port, 4000);
  // Operator's options come first.
  const given = resolveNodeTarget('db1', { ...base, user: 'root', identityFiles: ['~/mine'] });
  assert.equal(given.user, 'root');
  assert.equal(given.identityFiles[0], join(home, 'mine'));
});

test('without a config: the name as is, the local user, the default identity files', async (t) => {
  const home = await tempDir(t);
  const target = resolveNodeTarget('h1', { home, localUser: 'alice' });
  assert.equal(target.hostname, 'h1');
  assert.equal(target.user, 'alice');
  assert.equal(target.port, 29022);
  assert.deepEqual(
    target.identityFiles,
    ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name)),
  );
  assert.equal(target.proxyJump, undefined);
});

test('ProxyJump: one hop, user@host:port, resolved through the config itself', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, '.ssh'));
  await writeFile(join(home, '.ssh', 'config'), config);
  const behind = resolveNodeTarget('behind', { home, localUser: 'alice' });
  assert.equal(behind.hostname, '10.1.2.3');
  assert.deepEqual(behind.proxyJump, {
    host: 'bastion',
    hostname: '203.0.113.9',
    port: 2200,
    user: 'ops',
    identityFiles: [join(home, '.ssh/id_alice')],
  });
  await writeFile(join(home, '.ssh', 'config'), 'Host n1\n  ProxyJump j@[2001:db8::1]:2022,second\n');
  const v6 = resolveNodeTarget('n1', { home, localUser: 'alice' });
  assert.equal(v6.proxyJump?.hostname, '2001:db8::1');
  assert.equal(v6.proxyJump?.port, 2022);
  assert.equal(v6.proxyJump?.user, 'j');
});

test('Include: relative to ~/.ssh, with wildcards, read in place', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, '.ssh', 'conf.d'), { recursive: true });
  await writeFile(join(home, '.ssh', 'config'), 'Include conf.d/*.conf\nHost *\n  User fallback\n');
  await writeFile(join(home, '.ssh', 'conf.d', 'a.conf'), 'Host n1\n  HostName 192.0.2.1\n  User ops\n');
  await writeFile(join(home, '.ssh', 'conf.d', 'b.txt'), 'Host n1\n  HostName wrong\n');
  const n1 = resolveNodeTarget('n1', { home, localUser: 'alice' });
  assert.equal(n1.hostname, '192.0.2.1');
  assert.equal(n1.user, 'ops');
  assert.equal(resolveNodeTarget('n2', { home, localUser: 'alice' }).user, 'fallback');
});
