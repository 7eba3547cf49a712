// `vigil witness`: a small HTTP server outside the cluster that grants the partition lease to one
// side. Every request and answer is authenticated (protocol.ts); anything else gets a clear error
// status and never changes a lease.
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { LeaseBook } from './leases.js';
import { MAC_HEADER, MAX_LEASE_MS, WITNESS_PATH, mac, macMatches, parseLeaseRequest, type LeaseAnswer } from './protocol.js';

const MAX_BODY = 4096;

export interface WitnessOptions {
  cluster: string;
  key: Buffer;
  /** One line per decision or refusal (no secrets). */
  log: (event: string, fields: Record<string, unknown>) => void;
  /** Keep the quiet period after start (default true; see LeaseBook). */
  quiet?: boolean;
}

export function createWitnessServer(options: WitnessOptions): Server {
  const book = new LeaseBook(options.quiet === false ? 0 : performance.now() + MAX_LEASE_MS);
  return createServer((request, response) => {
    const reply = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'application/json', [MAC_HEADER]: mac(options.key, body) });
      response.end(body);
    };
    if (request.method !== 'POST' || request.url !== WITNESS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`POST ${WITNESS_PATH} only\n`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        response.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('body too large\n');
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY) return;
      const body = Buffer.concat(chunks).toString('utf8');
      if (!macMatches(options.key, body, request.headers[MAC_HEADER] as string | undefined)) {
        options.log('witness-refused', { from: request.socket.remoteAddress, why: 'bad or missing MAC' });
        response.writeHead(401, { 'content-type': 'text/plain' }).end('not authenticated\n');
        return;
      }
      const parsed = parseLeaseRequest(body);
      if (typeof parsed === 'string' || parsed.cluster !== options.cluster) {
        const why = typeof parsed === 'string' ? parsed : `this witness serves cluster ${options.cluster}`;
        options.log('witness-refused', { from: request.socket.remoteAddress, why });
        response.writeHead(400, { 'content-type': 'text/plain' }).end(`${why}\n`);
        return;
      }
      const decision = book.decide(parsed, performance.now());
      options.log('witness-decision', { server: parsed.server, op: parsed.op, ...decision });
      const answer: LeaseAnswer = { ...decision, nonce: parsed.nonce };
      reply(200, JSON.stringify(answer));
    });
  });
}
