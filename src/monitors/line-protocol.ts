// One driver for the line-based mail and file-transfer protocols (SMTP, POP3, IMAP, FTP): connect,
// read the greeting, send one harmless command, check its reply, then say goodbye politely. Each
// protocol file only says what to send and what a good reply looks like.
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver, MonitorDriverFactory } from './driver.js';
import { LineClient, ProbeError } from './line-client.js';
import { elapsed, hostPort, oneLine } from './net-errors.js';

export interface Reply {
  ok: boolean;
  /** The line that decides (the last line of a multi-line reply). */
  line: string;
}

export interface Exchange {
  /** What is sent; empty for the greeting, which the server sends unasked. */
  command: string;
  /** For the detail: "220", "+OK". */
  expected: string;
  read(client: LineClient): Promise<Reply>;
}

export interface LineProtocol {
  /** Shown in details: "SMTP". */
  label: string;
  defaultPort: number;
  greeting: Exchange;
  probe: Exchange;
  quit: Exchange;
}

/** How long to wait for the answer to QUIT/LOGOUT before closing anyway. */
const QUIT_WAIT_MS = 500;
/** Lines read for one reply at most. */
export const MAX_REPLY_LINES = 200;

export function lineProtocolMonitor(protocol: LineProtocol): MonitorDriverFactory {
  return (monitor: MonitorModel): MonitorDriver => ({
    async check(ctx): Promise<CheckResult> {
      const host = String(monitor.params.host);
      const port = typeof monitor.params.port === 'number' ? monitor.params.port : protocol.defaultPort;
      const label = `${protocol.label} ${hostPort(host, port)}`;
      const began = performance.now();
      let client: LineClient;
      try {
        client = await LineClient.connect(host, port, ctx.signal);
      } catch (error) {
        return { ok: false, detail: describeFailure(protocol, error) };
      }
      try {
        client.stage = 'waiting for the greeting';
        const greeting = await protocol.greeting.read(client);
        if (!greeting.ok)
          return {
            ok: false,
            detail: `${label} greeted with "${oneLine(greeting.line)}", expected ${protocol.greeting.expected}`,
          };
        const { command, expected } = protocol.probe;
        client.stage = `waiting for the answer to ${command}`;
        client.send(command);
        const answer = await protocol.probe.read(client);
        const ms = elapsed(began);
        await quitPolitely(client, protocol.quit);
        if (!answer.ok)
          return {
            ok: false,
            detail: `${label} answered ${command} with "${oneLine(answer.line)}", expected ${expected}`,
          };
        return {
          ok: true,
          detail: `${label} answered ${command} with "${oneLine(answer.line)}" in ${ms} ms`,
        };
      } catch (error) {
        return { ok: false, detail: describeFailure(protocol, error) };
      } finally {
        client.close();
      }
    },
  });
}

function describeFailure(protocol: LineProtocol, error: unknown): string {
  if (error instanceof ProbeError) return `${protocol.label} ${error.message}`;
  return `${protocol.label} check failed: ${oneLine((error as Error)?.message ?? String(error))}`;
}

/** Sends QUIT (or LOGOUT) and waits a moment for the answer, so the server does not log an abrupt close. */
async function quitPolitely(client: LineClient, quit: Exchange): Promise<void> {
  client.stage = `waiting for the answer to ${quit.command}`;
  client.send(quit.command);
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_WAIT_MS)));
  await Promise.race([quit.read(client).catch(() => undefined), patience]);
  clearTimeout(timer);
}

/**
 * A numbered reply as SMTP and FTP send them: "250 OK", or several lines "250-…" ending with "250 …".
 * Healthy when the code is `expected`.
 */
export function codeReply(expected: string): (client: LineClient) => Promise<Reply> {
  return async (client) => {
    let line = await client.readLine();
    const first = /^(\d{3})(-| |$)/.exec(line);
    if (first === null) return { ok: false, line };
    const code = first[1] as string;
    for (let count = 1; first[2] === '-' && !isLastLine(line, code); count += 1) {
      if (count >= MAX_REPLY_LINES) return { ok: false, line: `more than ${MAX_REPLY_LINES} reply lines` };
      line = await client.readLine();
    }
    return { ok: code === expected, line };
  };
}

function isLastLine(line: string, code: string): boolean {
  return line === code || line.startsWith(`${code} `);
}
