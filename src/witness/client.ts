// The agent's side of the witness method: acquire (or renew) and release the lease over HTTP, with
// a deadline. Any failure — unreachable, refused, a bad MAC — is an answer of "not granted" with why.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAC_HEADER, WITNESS_PATH, mac, macMatches, type LeaseAnswer, type LeaseRequest } from './protocol.js';

export interface WitnessResult {
  granted: boolean;
  holder: string | null;
  remainingMs: number;
  detail: string;
}

export class WitnessClient {
  private seq = Date.now() * 1000;

  constructor(
    private readonly url: string,
    private readonly cluster: string,
    private readonly server: string,
    private readonly key: Buffer,
  ) {}

  async ask(op: LeaseRequest['op'], durationMs: number, timeoutMs: number): Promise<WitnessResult> {
    const nonce = randomBytes(12).toString('hex');
    const body = JSON.stringify({ cluster: this.cluster, server: this.server, op, durationMs, seq: ++this.seq, nonce });
    try {
      const { status, text, macHeader } = await this.post(body, timeoutMs);
      if (status !== 200) return refused(`the witness answered HTTP ${status}: ${text.trim().slice(0, 200)}`);
      if (!macMatches(this.key, text, macHeader)) return refused('the witness answer is not authenticated (wrong key?)');
      const answer = JSON.parse(text) as LeaseAnswer;
      if (answer.nonce !== nonce) return refused('the witness answer is for another request');
      const detail = answer.granted ? 'granted' : (answer.error ?? (answer.holder ? `held by ${answer.holder}` : 'not granted'));
      return { granted: answer.granted, holder: answer.holder, remainingMs: answer.remainingMs, detail };
    } catch (error) {
      return refused(`cannot reach the witness at ${this.url}: ${(error as Error).message}`);
    }
  }

  private post(body: string, timeoutMs: number): Promise<{ status: number; text: string; macHeader?: string }> {
    const target = new URL(WITNESS_PATH, this.url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          // A fresh connection each time: a pooled one the witness has since closed would fail the ask.
          agent: false,
          headers: { 'content-type': 'application/json', [MAC_HEADER]: mac(this.key, body) },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              macHeader: res.headers[MAC_HEADER] as string | undefined,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

function refused(detail: string): WitnessResult {
  return { granted: false, holder: null, remainingMs: 0, detail };
}
