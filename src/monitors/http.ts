// http: a request to `url` answers with the expected status (any 2xx or 3xx unless `expectStatus` is
// given) and, optionally, a body matching `body`. node:http/https directly, so TLS options are exact:
// the certificate is verified unless `tlsVerify: false`, against the system CAs or `caFile`.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';
import { describeNetError, elapsed, oneLine } from './net-errors.js';

/** Body bytes read for matching at most; the rest is not downloaded. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createHttpMonitor(monitor: MonitorModel): MonitorDriver {
  const params = monitor.params;
  const url = new URL(String(params.url));
  const method = typeof params.method === 'string' ? params.method : 'GET';
  const expectStatus = typeof params.expectStatus === 'number' ? params.expectStatus : undefined;
  const body = typeof params.body === 'string' ? new RegExp(params.body) : undefined;
  const caFile = typeof params.caFile === 'string' ? params.caFile : undefined;
  const tlsVerify = params.tlsVerify !== false;
  const shown = displayUrl(url);
  const expected = expectStatus === undefined ? '2xx or 3xx' : String(expectStatus);
  return {
    async check(ctx): Promise<CheckResult> {
      const began = performance.now();
      let ca: Buffer | undefined;
      if (url.protocol === 'https:' && caFile !== undefined) {
        try {
          ca = readFileSync(caFile);
        } catch (error) {
          return { ok: false, detail: `cannot read caFile ${caFile}: ${describeNetError(error)}` };
        }
      }
      let response: { status: number; text: string };
      try {
        response = await fetchOnce(url, method, body !== undefined, ctx.signal, { ca, tlsVerify });
      } catch (error) {
        const aborted = ctx.signal.aborted;
        const why = aborted ? `timed out after ${elapsed(began)} ms` : describeNetError(error);
        return { ok: false, detail: `${method} ${shown}: ${why}` };
      }
      const ms = elapsed(began);
      const { status } = response;
      const statusOk = expectStatus === undefined ? status >= 200 && status < 400 : status === expectStatus;
      if (!statusOk)
        return { ok: false, detail: `HTTP ${status} from ${shown} in ${ms} ms, expected ${expected}` };
      if (body !== undefined && !body.test(response.text))
        return {
          ok: false,
          detail: `HTTP ${status} from ${shown} in ${ms} ms, but the body does not match /${body.source}/: "${oneLine(response.text, 80)}"`,
        };
      return { ok: true, detail: `HTTP ${status} from ${shown} in ${ms} ms` };
    },
  };
}

/** The URL without user name and password, which must never reach a detail or a log. */
export function displayUrl(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString();
}

interface TlsOptions {
  ca: Buffer | undefined;
  tlsVerify: boolean;
}

function fetchOnce(
  url: URL,
  method: string,
  readBody: boolean,
  signal: AbortSignal,
  tls: TlsOptions,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const options = { method, signal, headers: { 'user-agent': 'vigil-monitor', connection: 'close' } };
    const onResponse = (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (!readBody) {
        response.resume();
        resolve({ status, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) response.destroy(); // enough to match on; do not download the rest
      });
      const done = () =>
        signal.aborted
          ? reject(new Error('aborted'))
          : resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
      response.on('end', done);
      response.on('close', done);
      response.on('error', reject);
    };
    const request =
      url.protocol === 'https:'
        ? httpsRequest(
            url,
            { ...options, ca: tls.ca, rejectUnauthorized: tls.tlsVerify, agent: false },
            onResponse,
          )
        : httpRequest(url, { ...options, agent: false }, onResponse);
    request.on('error', reject);
    request.end();
  });
}
