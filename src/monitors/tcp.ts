// tcp: the port accepts a connection; optionally, after sending `send`, the reply matches `expect`.
import { connect } from 'node:net';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';
import { describeNetError, elapsed, hostPort, oneLine } from './net-errors.js';

/** Reply bytes kept for matching at most. */
const MAX_REPLY_BYTES = 64 * 1024;

export function createTcpMonitor(monitor: MonitorModel): MonitorDriver {
  const host = String(monitor.params.host);
  const port = Number(monitor.params.port);
  const send = typeof monitor.params.send === 'string' ? monitor.params.send : undefined;
  const expect = typeof monitor.params.expect === 'string' ? new RegExp(monitor.params.expect) : undefined;
  const where = hostPort(host, port);
  return {
    check: (ctx) =>
      new Promise<CheckResult>((resolve) => {
        const began = performance.now();
        let connected = false;
        let reply = '';
        const socket = connect({ host, port });
        const finish = (result: CheckResult) => {
          ctx.signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(result);
        };
        const noMatch = (why: string) =>
          `${where} ${why} before its reply matched /${expect?.source}/ (${reply === '' ? 'nothing received' : `received "${oneLine(reply)}"`})`;
        const onAbort = () => {
          const ms = elapsed(began);
          if (!connected)
            finish({ ok: false, detail: `${where}: timed out after ${ms} ms while connecting` });
          else finish({ ok: false, detail: noMatch(`timed out after ${ms} ms`) });
        };
        if (ctx.signal.aborted) return onAbort();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        socket.on('error', (error) => finish({ ok: false, detail: `${where}: ${describeNetError(error)}` }));
        socket.on('connect', () => {
          connected = true;
          const accepted = () =>
            finish({ ok: true, detail: `${where} accepted the connection in ${elapsed(began)} ms` });
          // Without `expect`, close only once `send` has been handed to the kernel.
          if (send !== undefined) socket.write(send, () => (expect === undefined ? accepted() : undefined));
          else if (expect === undefined) accepted();
        });
        // A bare connection check reads nothing: without a 'data' listener the socket never starts
        // reading, which spares it work at each of hundreds of checks a second.
        if (send === undefined && expect === undefined) return;
        socket.on('data', (chunk: Buffer) => {
          if (reply.length < MAX_REPLY_BYTES) reply += chunk.toString('utf8');
          if (expect?.test(reply))
            finish({ ok: true, detail: `${where} answered "${oneLine(reply, 80)}" in ${elapsed(began)} ms` });
        });
        socket.on('end', () => finish({ ok: false, detail: noMatch('closed the connection') }));
      }),
  };
}
