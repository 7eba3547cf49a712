// TLS settings of the peer channel: TLS 1.3 with an external pre-shared key and no certificates.
//
// Why TLS 1.3 and these suites: in Node 20 (OpenSSL 3.0) a PSK set through pskCallback works with
// TLS 1.3 suites that use SHA-256 only (TLS_AES_256_GCM_SHA384 fails the handshake), and OpenSSL's
// TLS 1.3 PSK mode still runs an (EC)DHE exchange, so past traffic stays secret if the cluster key
// later leaks. A wrong key fails the PSK binder check, which OpenSSL reports by name.
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';

export const PEER_TLS_VERSION = 'TLSv1.3';
export const PEER_CIPHERS = 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256';
/** OpenSSL's limit on a PSK identity; server names are far shorter. */
export const MAX_PSK_IDENTITY_BYTES = 128;

const versionAndCiphers = {
  minVersion: PEER_TLS_VERSION,
  maxVersion: PEER_TLS_VERSION,
  ciphers: PEER_CIPHERS,
} as const;

/**
 * Server side. `keyFor` returns the PSK for an identity it accepts, or null to refuse the
 * handshake; it must be synchronous (OpenSSL calls it in the middle of the handshake).
 */
export function pskServerOptions(
  keyFor: (socket: TLSSocket, identity: string) => Buffer | null,
  handshakeTimeoutMs: number,
): TlsOptions {
  return {
    ...versionAndCiphers,
    handshakeTimeout: handshakeTimeoutMs,
    pskCallback: (socket, identity) => keyFor(socket, identity),
  };
}

/** Client side: identify as `identity` (our server name) with `key`. */
export function pskClientOptions(identity: string, key: Buffer): ConnectionOptions {
  return {
    ...versionAndCiphers,
    pskCallback: () => ({ identity, psk: key }),
    // No certificate exists to check a host name against; the PSK is what authenticates the peer.
    checkServerIdentity: () => undefined,
  };
}

export type HandshakeRejection =
  'wrong-key' | 'garbage' | 'handshake-timeout' | 'aborted' | 'handshake-failed';

const GARBAGE_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_HTTPS_PROXY_REQUEST',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LENGTH_MISMATCH',
  'ERR_SSL_UNEXPECTED_RECORD',
  'ERR_SSL_UNEXPECTED_MESSAGE',
]);

/** Sorts a server-side handshake error (tlsClientError) into a counter. */
export function classifyHandshakeError(error: NodeJS.ErrnoException): HandshakeRejection {
  const code = error.code ?? '';
  if (code === 'ERR_SSL_BINDER_DOES_NOT_VERIFY') return 'wrong-key';
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'handshake-timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'aborted';
  if (GARBAGE_CODES.has(code)) return 'garbage';
  return 'handshake-failed';
}
