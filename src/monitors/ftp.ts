// ftp: the server greets with 220 and answers NOOP with 200 (no login needed).
import { codeReply, lineProtocolMonitor } from './line-protocol.js';

export const createFtpMonitor = lineProtocolMonitor({
  label: 'FTP',
  defaultPort: 21,
  greeting: { command: '', expected: '220', read: codeReply('220') },
  probe: { command: 'NOOP', expected: '200', read: codeReply('200') },
  quit: { command: 'QUIT', expected: '221', read: codeReply('221') },
});
