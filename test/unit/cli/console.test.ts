import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vigil } from './run-vigil.js';

test('vigil console takes --node for SSH and still refuses mixed targets and a non-terminal', async () => {
  const mixed = await vigil(['console', '--node', 'h1', '--demo']);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /give one of --demo, --socket, --node and CLUSTER/);
  const piped = await vigil(['console', '--node', 'h1', '--node', 'h2']);
  assert.equal(piped.code, 2);
  assert.match(piped.stderr, /needs a terminal/);
  const badVia = await vigil(['console', '--node', 'h1', '--via', 'telnet']);
  assert.equal(badVia.code, 2);
  assert.match(badVia.stderr, /--via takes "openssh"/);
});

test('vigil console --node --via openssh takes --socket: the agent’s socket on the nodes', async () => {
  const endpoint = await vigil(['console', '--node', 'h1', '--socket', '/srv/vigil.sock']);
  assert.equal(endpoint.code, 2);
  assert.match(endpoint.stderr, /--socket with --node needs --via openssh/);
  const two = await vigil([
    'console',
    '--node',
    'h1',
    '--via',
    'openssh',
    '--socket',
    '/a',
    '--socket',
    '/b',
  ]);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /with --node, give one --socket/);
  const accepted = await vigil([
    'console',
    '--node',
    'h1',
    '--via',
    'openssh',
    '--socket',
    '/srv/vigil.sock',
  ]);
  assert.equal(accepted.code, 2);
  assert.match(accepted.stderr, /needs a terminal/);
});
