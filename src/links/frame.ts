// The heartbeat datagram: a fixed prefix, an HMAC-SHA256 tag, then a JSON payload.
//
//   bytes 0-2   "VGH" (vigil heartbeat)        bytes 3     format version (1)
//   bytes 4-35  HMAC-SHA256(key, bytes 0-3 ‖ payload)
//   bytes 36-   payload: UTF-8 JSON {cluster, sender, incarnation, seq, sentAt, echo?, digest, body}
//
// The tag is checked before the payload is parsed, so unauthenticated input is never interpreted.
// Replay and staleness depend on what was seen before; they are the link's job (sender-window.ts).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Heartbeat } from '../engine/messages.js';
import { isCount, isHeartbeat, isRecord } from './heartbeat-shape.js';

export const FRAME_MAGIC = Buffer.from('VGH', 'ascii');
export const FRAME_VERSION = 1;
const PREFIX_BYTES = FRAME_MAGIC.length + 1;
const FRAME_PREFIX = Buffer.concat([FRAME_MAGIC, Buffer.from([FRAME_VERSION])]);
const TAG_BYTES = 32;
export const FRAME_HEADER_BYTES = PREFIX_BYTES + TAG_BYTES;
/** Below the IPv4 UDP limit (65,507) with room to spare; a heartbeat this large is a design problem. */
export const MAX_FRAME_BYTES = 60_000;
const DIGEST_HEX_CHARS = 16;
const DIGEST_PATTERN = /^[0-9a-f]{16}$/;
const MAX_NAME_CHARS = 253;

/** Why decodeFrame refused a datagram. */
export type FrameRejection =
  'truncated' | 'oversized' | 'garbage' | 'forged' | 'malformed' | 'wrong-cluster' | 'unknown-sender';

export const FRAME_REJECTIONS: readonly FrameRejection[] = [
  'truncated',
  'oversized',
  'garbage',
  'forged',
  'malformed',
  'wrong-cluster',
  'unknown-sender',
];

/** RTT echo: the last seq this sender received from the recipient, and how long it held it since. */
export interface Echo {
  seq: number;
  heldMs: number;
}

export interface HeartbeatFrame {
  cluster: string;
  sender: string;
  /** Changes at every agent start (the engine's incarnation); a lower one is a stale frame. */
  incarnation: number;
  /** Per link, per sender, counting up from 1: gaps are loss, repeats are replays. */
  seq: number;
  /** Sender's wall clock in ms at sending; informational (clocks differ), RTT uses echoes. */
  sentAt: number;
  echo?: Echo;
  /** sha256 of the body's JSON, first 16 hex characters: tells cheaply whether the body changed. */
  digest: string;
  body: Heartbeat;
}

export type FrameFields = Omit<HeartbeatFrame, 'digest'>;

export interface FrameContext {
  /** deriveKey(clusterKey, cluster, 'heartbeat') */
  key: Buffer;
  cluster: string;
  /** Names of the servers frames may come from (never this server itself). */
  peers: ReadonlySet<string>;
}

export type DecodeResult = { ok: true; frame: HeartbeatFrame } | { ok: false; reason: FrameRejection };

export class FrameTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(
      `heartbeat frame of ${bytes} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit (too many groups or intents for one datagram)`,
    );
    this.name = 'FrameTooLargeError';
  }
}

export function bodyDigest(bodyJson: string): string {
  return createHash('sha256').update(bodyJson).digest('hex').slice(0, DIGEST_HEX_CHARS);
}

function tagOf(key: Buffer, prefix: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(prefix).update(payload).digest();
}

/** A heartbeat body serialised once for all the frames of one round (one per peer). */
export interface PreparedBody {
  json: string;
  digest: string;
}

export function prepareBody(body: Heartbeat): PreparedBody {
  const json = JSON.stringify(body);
  return { json, digest: bodyDigest(json) };
}

/**
 * Encodes and signs one frame; throws FrameTooLargeError rather than send what peers would drop.
 * `prepared` must be prepareBody(fields.body); a sender passes it to serialise the body once a round.
 */
export function encodeFrame(fields: FrameFields, key: Buffer, prepared = prepareBody(fields.body)): Buffer {
  const header: Omit<HeartbeatFrame, 'body'> = {
    cluster: fields.cluster,
    sender: fields.sender,
    incarnation: fields.incarnation,
    seq: fields.seq,
    sentAt: fields.sentAt,
    ...(fields.echo ? { echo: { seq: fields.echo.seq, heldMs: fields.echo.heldMs } } : {}),
    digest: prepared.digest,
  };
  // The body goes last, so the payload is the header's JSON with the body's spliced in before "}".
  const headerJson = JSON.stringify(header);
  const payload = Buffer.from(`${headerJson.slice(0, -1)},"body":${prepared.json}}`, 'utf8');
  const size = FRAME_HEADER_BYTES + payload.length;
  if (size > MAX_FRAME_BYTES) throw new FrameTooLargeError(size);
  return Buffer.concat([FRAME_PREFIX, tagOf(key, FRAME_PREFIX, payload), payload]);
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_CHARS;
}

function isEcho(value: unknown): value is Echo {
  return (
    isRecord(value) &&
    isCount(value.seq) &&
    typeof value.heldMs === 'number' &&
    Number.isFinite(value.heldMs) &&
    value.heldMs >= 0
  );
}

/** Checks the shape of an authenticated payload; the digest must match the body as sent. */
function toFrame(value: unknown): HeartbeatFrame | null {
  if (!isRecord(value)) return null;
  const { cluster, sender, incarnation, seq, sentAt, echo, digest, body } = value;
  if (!isName(cluster) || !isName(sender) || !isCount(incarnation) || !isCount(seq) || seq < 1) return null;
  if (typeof sentAt !== 'number' || !Number.isFinite(sentAt)) return null;
  if (echo !== undefined && !isEcho(echo)) return null;
  if (typeof digest !== 'string' || !DIGEST_PATTERN.test(digest)) return null;
  if (!isHeartbeat(body) || body.incarnation !== incarnation) return null;
  // JSON.parse keeps key order, so re-serialising gives back the sender's exact body JSON.
  if (bodyDigest(JSON.stringify(body)) !== digest) return null;
  return { cluster, sender, incarnation, seq, sentAt, ...(echo ? { echo } : {}), digest, body };
}

/** Checks a datagram in order of cost: size, prefix, tag, then (only if authentic) the payload. */
export function decodeFrame(datagram: Buffer, context: FrameContext): DecodeResult {
  if (datagram.length > MAX_FRAME_BYTES) return { ok: false, reason: 'oversized' };
  if (datagram.length < PREFIX_BYTES) return { ok: false, reason: 'truncated' };
  if (!datagram.subarray(0, FRAME_MAGIC.length).equals(FRAME_MAGIC) || datagram[3] !== FRAME_VERSION)
    return { ok: false, reason: 'garbage' };
  // The smallest payload is "{}": anything shorter cannot be a frame.
  if (datagram.length < FRAME_HEADER_BYTES + 2) return { ok: false, reason: 'truncated' };
  const prefix = datagram.subarray(0, PREFIX_BYTES);
  const tag = datagram.subarray(PREFIX_BYTES, FRAME_HEADER_BYTES);
  const payload = datagram.subarray(FRAME_HEADER_BYTES);
  if (!timingSafeEqual(tag, tagOf(context.key, prefix, payload))) return { ok: false, reason: 'forged' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const frame = toFrame(parsed);
  if (!frame) return { ok: false, reason: 'malformed' };
  if (frame.cluster !== context.cluster) return { ok: false, reason: 'wrong-cluster' };
  if (!context.peers.has(frame.sender)) return { ok: false, reason: 'unknown-sender' };
  return { ok: true, frame };
}
