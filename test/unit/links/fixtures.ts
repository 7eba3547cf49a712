// Shared test data for the link codecs: a valid heartbeat and a frame context around it.
import { createHmac } from 'node:crypto';
import type { Heartbeat } from '../../../src/engine/messages.js';
import { FRAME_HEADER_BYTES, type FrameContext, type FrameFields } from '../../../src/links/frame.js';

export const HEARTBEAT_KEY = Buffer.alloc(32, 0x11);

export function heartbeat(overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
    kind: 'heartbeat',
    incarnation: 7,
    seq: 3,
    hears: ['beta'],
    quorate: true,
    service: 'running',
    groups: { web: { state: 'online', epoch: 2 }, db: { state: 'offline', epoch: 0, claiming: 1 } },
    intents: { 'group:web': { version: 4, by: 'alpha', value: { kind: 'group', run: true } } },
    ...overrides,
  };
}

/** A heartbeat that says nothing beyond who and when: for tests about transport, not content. */
export function bareHeartbeat(incarnation: number, seq: number): Heartbeat {
  return heartbeat({ incarnation, seq, hears: [], groups: {}, intents: {} });
}

export function fields(overrides: Partial<FrameFields> = {}): FrameFields {
  return {
    cluster: 'prod',
    sender: 'alpha',
    incarnation: 7,
    seq: 1,
    sentAt: 1_700_000_000_000,
    body: heartbeat(),
    ...overrides,
  };
}

export function context(overrides: Partial<FrameContext> = {}): FrameContext {
  return { key: HEARTBEAT_KEY, cluster: 'prod', peers: new Set(['alpha', 'gamma']), ...overrides };
}

/** Signs an arbitrary payload the way the codec does, to reach the checks behind the tag. */
export function signedDatagram(payload: string | Buffer, key = HEARTBEAT_KEY): Buffer {
  const prefix = Buffer.from([0x56, 0x47, 0x48, 1]);
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const tag = createHmac('sha256', key).update(prefix).update(body).digest();
  const datagram = Buffer.concat([prefix, tag, body]);
  if (datagram.length !== FRAME_HEADER_BYTES + body.length) throw new Error('header size changed');
  return datagram;
}
