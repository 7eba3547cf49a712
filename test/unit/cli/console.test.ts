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
