// The one HTTP/1.1 request an http check makes, on a plain net or tls socket: node's http client
// (request and response objects, header maps, a parser, an agent per request) cost several times the
// connection itself, and a check needs only the status and, when `body` is set, the body. One request
// with `Connection: close`; 1xx interim answers are skipped; no redirects, no connection reuse. TLS is
// tls.connect's own: the certificate chain and the host name are verified unless told otherwise.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { oneLine } from './net-errors.js';

/** Header bytes accepted at most before the response counts as broken. */
const MAX_HEADER_BYTES = 64 * 1024;

export interface HttpRequest {
  url: URL;
  method: string;
  /** Read (and de-chunk) the body, up to `maxBodyBytes`; otherwise stop at the headers. */
  readBody: boolean;
  maxBodyBytes: number;
  /** https only: the CAs to trust instead of the system ones, and whether to verify at all. */
  ca?: Buffer;
  tlsVerify: boolean;
}

export interface HttpResponse {
  status: number;
  /** The body as text when it was read, else ''. */
  text: string;
}

/** An error with a code describeNetError knows, or a message of our own. */
function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

/** The request's bytes: request line, Host, credentials of the URL as Basic auth, Connection: close. */
export function requestText(url: URL, method: string): string {
  const lines = [
    `${method} ${url.pathname || '/'}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    'User-Agent: vigil-monitor',
    'Connection: close',
  ];
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    lines.push(`Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  if (method === 'POST') lines.push('Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Makes the request; rejects with the socket's error, a protocol error, or 'aborted' on the signal. */
export function httpOnce(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const { url } = request;
    const https = url.protocol === 'https:';
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = Number(url.port || (https ? 443 : 80));
    const socket: Socket = https
      ? tlsConnect({
          host,
          port,
          // SNI and the name checked against the certificate; an IP address is checked as such.
          ...(isIP(host) === 0 ? { servername: host } : {}),
          ca: request.ca,
          rejectUnauthorized: request.tlsVerify,
        })
      : netConnect({ host, port });
    let received: Buffer = Buffer.alloc(0);
    let status = 0;
    /** Where the body starts in `received`, once the final header block has been read. */
    let bodyStart = -1;
    let body: BodyReader | undefined;
    let settled = false;
    const finish = (error: Error | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(response as HttpResponse);
    };
    const onAbort = () => finish(failure('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(error));
    socket.write(requestText(url, request.method)); // queued until connected (and, for TLS, secure)

    const readHeaders = (): void => {
      // Interim 1xx answers (100 Continue, 103 Early Hints) precede the real one: skip them.
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) {
          if (received.length > MAX_HEADER_BYTES)
            finish(failure(`response headers longer than ${MAX_HEADER_BYTES / 1024} KiB`));
          return;
        }
        const head = received.subarray(0, end).toString('latin1');
        const match = /^HTTP\/1\.[01] (\d{3})(?: |\r|$)/.exec(head);
        if (match === null) {
          finish(failure(`not an HTTP response: "${oneLine(head.split('\r\n')[0] ?? '', 80)}"`));
          return;
        }
        const code = Number(match[1]);
        if (code >= 100 && code < 200 && code !== 101) {
          received = received.subarray(end + 4);
          continue;
        }
        status = code;
        bodyStart = end + 4;
        if (!request.readBody) return finish(undefined, { status, text: '' });
        if (request.method === 'HEAD' || status === 204 || status === 304)
          return finish(undefined, { status, text: '' });
        body = new BodyReader(head, request.maxBodyBytes);
        received = received.subarray(bodyStart);
        return;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (body === undefined) {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        readHeaders();
        if (body === undefined || settled) return;
        chunk = received;
      }
      const done = body.push(chunk);
      if (done instanceof Error) finish(done);
      else if (done) finish(undefined, { status, text: body.text() });
    });
    socket.on('end', () => {
      if (body !== undefined) {
        const done = body.end();
        if (done instanceof Error) finish(done);
        else finish(undefined, { status, text: body.text() });
      } else if (bodyStart < 0) {
        // What node says of a connection closed before the response: "socket hang up".
        finish(failure('socket hang up', 'ECONNRESET'));
      }
    });
    // Usually after the answer was taken: an Error (and its stack) only when it is still awaited.
    socket.on('close', () => {
      if (!settled) finish(failure('socket hang up', 'ECONNRESET'));
    });
  });
}

/** The response body after the headers: by Content-Length, chunked, or up to the close; capped. */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly chunked: boolean;
  private readonly length: number | undefined;
  /** chunked: undecoded bytes, and how much of the current chunk's data is still to come. */
  private pending: Buffer = Buffer.alloc(0);
  private left = 0;
  /** chunked: after a chunk's data, its CRLF must be skipped. */
  private afterData = false;

  constructor(
    head: string,
    private readonly max: number,
  ) {
    const header = (name: string) =>
      new RegExp(`\\r\\n${name}:[ \\t]*([^\\r]*)`, 'i').exec(head)?.[1]?.trim().toLowerCase();
    this.chunked = header('transfer-encoding')?.split(',').pop()?.trim() === 'chunked';
    const length = header('content-length');
    this.length = !this.chunked && length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  }

  /** Takes more bytes; true when the body is complete (or enough of it is there), an Error when broken. */
  push(data: Buffer): boolean | Error {
    if (!this.chunked) {
      this.keep(data);
      return this.size >= this.max || (this.length !== undefined && this.size >= this.length);
    }
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    for (;;) {
      if (this.left > 0) {
        const take = this.pending.subarray(0, this.left);
        this.keep(take);
        this.left -= take.length;
        this.pending = this.pending.subarray(take.length);
        if (this.size >= this.max) return true;
        if (this.left > 0) return false;
        this.afterData = true;
      }
      const eol = this.pending.indexOf('\r\n');
      if (eol < 0) return this.pending.length > 1024 ? failure('broken chunked body') : false;
      const line = this.pending.subarray(0, eol).toString('latin1');
      this.pending = this.pending.subarray(eol + 2);
      if (this.afterData) {
        if (line !== '') return failure('broken chunked body');
        this.afterData = false;
        continue;
      }
      const size = parseInt(line.split(';')[0] ?? '', 16);
      if (!Number.isFinite(size) || size < 0) return failure('broken chunked body');
      if (size === 0) return true; // trailers, if any, are not needed
      this.left = size;
    }
  }

  /** The connection closed: complete unless a length or chunk was cut short. */
  end(): true | Error {
    const short =
      (this.length !== undefined && this.size < this.length && this.size < this.max) || this.chunked;
    return short ? failure('socket hang up', 'ECONNRESET') : true;
  }

  text(): string {
    return Buffer.concat(this.chunks).subarray(0, this.max).toString('utf8');
  }

  private keep(data: Buffer): void {
    if (this.size >= this.max) return;
    this.chunks.push(data);
    this.size += data.length;
  }
}
