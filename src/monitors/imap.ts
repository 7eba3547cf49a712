// imap: the server greets with "* OK" (or "* PREAUTH") and answers "a001 NOOP" with "a001 OK".
import type { LineClient } from './line-client.js';
import { lineProtocolMonitor, MAX_REPLY_LINES, type Reply } from './line-protocol.js';

async function greeting(client: LineClient): Promise<Reply> {
  const line = await client.readLine();
  return { ok: /^\* (OK|PREAUTH)( |$)/i.test(line), line };
}

/** Untagged lines ("* 3 EXISTS") until the line with our tag. */
function tagged(tag: string): (client: LineClient) => Promise<Reply> {
  return async (client) => {
    for (let count = 0; count < MAX_REPLY_LINES; count += 1) {
      const line = await client.readLine();
      if (line.startsWith(`${tag} `))
        return { ok: line.toUpperCase().startsWith(`${tag.toUpperCase()} OK`), line };
    }
    return { ok: false, line: `more than ${MAX_REPLY_LINES} lines without the ${tag} reply` };
  };
}

export const createImapMonitor = lineProtocolMonitor({
  label: 'IMAP',
  defaultPort: 143,
  greeting: { command: '', expected: '"* OK"', read: greeting },
  probe: { command: 'a001 NOOP', expected: '"a001 OK"', read: tagged('a001') },
  quit: { command: 'a002 LOGOUT', expected: '"a002 OK"', read: tagged('a002') },
});
