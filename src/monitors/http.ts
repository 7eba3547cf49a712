// http: a request to `url` answers with the expected status (any 2xx or 3xx unless `expectStatus` is
// given) and, optionally, a body matching `body`. The request is http-client.ts's, on a net or tls
// socket: the certificate is verified unless `tlsVerify: false`, against the system CAs or `caFile`.
import { readFileSync } from 'node:fs';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';
import { httpOnce } from './http-client.js';
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
        const readBody = body !== undefined;
        response = await httpOnce(
          { url, method, readBody, maxBodyBytes: MAX_BODY_BYTES, ca, tlsVerify },
          ctx.signal,
        );
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
