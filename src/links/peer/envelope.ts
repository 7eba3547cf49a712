// The peer channel's wire format: one JSON object per line (UTF-8, "\n"-terminated, at most 1 MiB).
//
//   {"t":"hello","v":1,"cluster":C,"from":NAME}  first line each way; the channel is up once both
//                                                 sides have checked the other's name
//   {"t":"msg","body":ANY}                        a one-way message (send, broadcast)
//   {"t":"req","id":N,"body":ANY}                 a request; N is unique per sender connection
//   {"t":"res","id":N,"ok":true,"body":ANY}       its answer
//   {"t":"res","id":N,"ok":false,"error":TEXT}    or its failure (no handler, handler threw)
//   {"t":"ping"}                                  keeps an idle connection provably alive
//
// A body JSON cannot hold (undefined) arrives as null. Authentication is TLS-PSK underneath; this
// layer only frames and checks shapes.
import { isRecord } from '../heartbeat-shape.js';

export const ENVELOPE_VERSION = 1;

export type Envelope =
  | { t: 'hello'; v: number; cluster: string; from: string }
  | { t: 'msg'; body: unknown }
  | { t: 'req'; id: number; body: unknown }
  | { t: 'res'; id: number; ok: true; body: unknown }
  | { t: 'res'; id: number; ok: false; error: string }
  | { t: 'ping' };

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Parses one line; null when it is not JSON or not a known envelope. */
export function parseEnvelope(line: Buffer): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.t) {
    case 'hello':
      return typeof value.v === 'number' &&
        typeof value.cluster === 'string' &&
        typeof value.from === 'string'
        ? { t: 'hello', v: value.v, cluster: value.cluster, from: value.from }
        : null;
    case 'msg':
      return { t: 'msg', body: value.body ?? null };
    case 'req':
      return isId(value.id) ? { t: 'req', id: value.id, body: value.body ?? null } : null;
    case 'res':
      if (!isId(value.id)) return null;
      if (value.ok === true) return { t: 'res', id: value.id, ok: true, body: value.body ?? null };
      if (value.ok === false && typeof value.error === 'string')
        return { t: 'res', id: value.id, ok: false, error: value.error };
      return null;
    case 'ping':
      return { t: 'ping' };
    default:
      return null;
  }
}

/** One line, newline included. Throws on values JSON cannot carry (BigInt, cycles). */
export function encodeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(`${JSON.stringify(envelope)}\n`, 'utf8');
}
