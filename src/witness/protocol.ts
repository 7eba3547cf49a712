// The witness protocol: a server asks the witness for the partition lease of its cluster (or gives
// it back) in one HTTP POST. Bodies are JSON, authenticated both ways with an HMAC under a key
// derived from the cluster key (purpose 'witness'); the answer's MAC covers the request's nonce, so
// an old answer cannot be replayed, and each server's requests carry increasing sequence numbers, so
// an old request cannot renew a lease for a server that has gone.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WITNESS_PATH = '/v1/lease';
export const MAC_HEADER = 'x-vigil-mac';
/** The longest lease a server may ask for; also how long a restarted witness grants nothing. */
export const MAX_LEASE_MS = 60_000;

export interface LeaseRequest {
  cluster: string;
  server: string;
  /** 'acquire' also renews the holder's lease. */
  op: 'acquire' | 'release';
  durationMs: number;
  /** Strictly increasing per server (the witness refuses anything not newer than the last). */
  seq: number;
  nonce: string;
}

export interface LeaseAnswer {
  granted: boolean;
  /** Who holds the lease after this request (null: nobody). */
  holder: string | null;
  /** For the holder: how long its lease lasts from when the witness answered. */
  remainingMs: number;
  /** The request's nonce, echoed. */
  nonce: string;
  error?: string;
}

export function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('hex');
}

export function macMatches(key: Buffer, body: string, given: string | undefined): boolean {
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(mac(key, body), 'hex'), Buffer.from(given, 'hex'));
}

/** Parses a lease request; returns an error message for anything malformed. */
export function parseLeaseRequest(body: string): LeaseRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'the body is not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.cluster !== 'string' || r.cluster === '') return 'cluster: a name is required';
  if (typeof r.server !== 'string' || r.server === '') return 'server: a name is required';
  if (r.op !== 'acquire' && r.op !== 'release') return "op: must be 'acquire' or 'release'";
  if (typeof r.durationMs !== 'number' || !(r.durationMs > 0 && r.durationMs <= MAX_LEASE_MS))
    return `durationMs: a number of milliseconds from 1 to ${MAX_LEASE_MS}`;
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 0) return 'seq: a non-negative integer';
  if (typeof r.nonce !== 'string' || r.nonce.length < 8 || r.nonce.length > 64) return 'nonce: 8 to 64 characters';
  return {
    cluster: r.cluster,
    server: r.server,
    op: r.op,
    durationMs: r.durationMs,
    seq: r.seq,
    nonce: r.nonce,
  };
}
