// Turns socket, DNS and TLS errors into the short phrases monitor details use ("connection refused").
// Only the error code is used, never the whole message, which could quote more than it should.

const phrases: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted: it is self-signed (give caFile)',
  SELF_SIGNED_CERT_IN_CHAIN:
    'TLS certificate not trusted: self-signed certificate in the chain (give caFile)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted: unknown issuer (give caFile)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate not trusted: unknown issuer (give caFile)',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name this host',
};

/** "connection refused", "TLS certificate has expired", … or the error's code/message as a last resort. */
export function describeNetError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(phrases, code)) return phrases[code] as string;
  if (typeof code === 'string') return `${code} (${oneLine((error as Error).message ?? '')})`;
  return oneLine((error as Error)?.message ?? String(error));
}

/** Text a server sent, made safe for a one-line detail: control characters escaped, length capped. */
export function oneLine(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '?'));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** "127.0.0.1:25", "[::1]:25" */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Milliseconds since `began` (a performance.now() value), rounded. */
export function elapsed(began: number): number {
  return Math.round(performance.now() - began);
}
