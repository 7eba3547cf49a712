import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getCiphers } from 'node:tls';
import { classifyHandshakeError, PEER_CIPHERS, PEER_TLS_VERSION } from '../../../src/links/peer/tls-psk.js';

function failure(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

test('handshake failures are sorted into counters', () => {
  assert.equal(classifyHandshakeError(failure('ERR_SSL_BINDER_DOES_NOT_VERIFY')), 'wrong-key');
  assert.equal(classifyHandshakeError(failure('ERR_TLS_HANDSHAKE_TIMEOUT')), 'handshake-timeout');
  assert.equal(classifyHandshakeError(failure('ECONNRESET')), 'aborted');
  assert.equal(classifyHandshakeError(failure('ERR_SSL_WRONG_VERSION_NUMBER')), 'garbage');
  assert.equal(classifyHandshakeError(failure('ERR_SSL_HTTP_REQUEST')), 'garbage');
  assert.equal(classifyHandshakeError(failure('ERR_SSL_NO_SHARED_CIPHER')), 'handshake-failed');
  assert.equal(classifyHandshakeError(new Error('no code')), 'handshake-failed');
});

test('the peer channel uses TLS 1.3 suites this Node knows', () => {
  assert.equal(PEER_TLS_VERSION, 'TLSv1.3');
  const known = new Set(getCiphers().map((name) => name.toLowerCase()));
  for (const suite of PEER_CIPHERS.split(':')) assert.ok(known.has(suite.toLowerCase()), suite);
});
