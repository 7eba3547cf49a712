// pop3: the server greets with +OK and answers CAPA with +OK and its capability list. CAPA rather than
// NOOP: RFC 1939 allows NOOP only after login, and servers such as Dovecot refuse it before.
import type { LineClient } from './line-client.js';
import { lineProtocolMonitor, MAX_REPLY_LINES, type Reply } from './line-protocol.js';

async function statusLine(client: LineClient): Promise<Reply> {
  const line = await client.readLine();
  return { ok: line.startsWith('+OK'), line };
}

/** +OK, then lines up to a lone ".". */
async function multiLine(client: LineClient): Promise<Reply> {
  const status = await statusLine(client);
  if (!status.ok) return status;
  for (let count = 0; count < MAX_REPLY_LINES; count += 1)
    if ((await client.readLine()) === '.') return status;
  return { ok: false, line: `more than ${MAX_REPLY_LINES} lines without the closing "."` };
}

export const createPop3Monitor = lineProtocolMonitor({
  label: 'POP3',
  defaultPort: 110,
  greeting: { command: '', expected: '+OK', read: statusLine },
  probe: { command: 'CAPA', expected: '+OK', read: multiLine },
  quit: { command: 'QUIT', expected: '+OK', read: statusLine },
});
