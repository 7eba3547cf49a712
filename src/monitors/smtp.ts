// smtp: the server greets with 220 and answers NOOP with 250.
import { codeReply, lineProtocolMonitor } from './line-protocol.js';

export const createSmtpMonitor = lineProtocolMonitor({
  label: 'SMTP',
  defaultPort: 25,
  greeting: { command: '', expected: '220', read: codeReply('220') },
  probe: { command: 'NOOP', expected: '250', read: codeReply('250') },
  quit: { command: 'QUIT', expected: '221', read: codeReply('221') },
});
