// Small real servers on loopback for the service monitor tests; `close` ends every connection too.
import { createServer, type Socket } from 'node:net';

export interface Listening {
  close(): void;
}

/** Listens on 127.0.0.1:`port`. */
export async function listen(port: number, onConnection: (socket: Socket) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** A port in this helper's range on which nothing listens, for "connection refused". */
export const CLOSED_PORT = 45899;

export type Behaviour = 'good' | 'bad-greeting' | 'bad-reply' | 'hang' | 'close';

export interface Dialogue {
  greeting: string[];
  badGreeting: string[];
  /** Replies to each command line; `bad` replies to the probe in mode bad-reply. */
  replies: Record<string, string[]>;
  badReply: string[];
}

/**
 * A line-protocol server whose behaviour the test sets before each check; it records the command
 * lines it received.
 */
export async function protocolServer(port: number, dialogue: Dialogue) {
  const state = { mode: 'good' as Behaviour, received: [] as string[], close: () => {} };
  const listening = await listen(port, (socket) => {
    const mode = state.mode;
    if (mode === 'close') return void socket.end();
    if (mode === 'hang') return;
    const write = (lines: string[]) => socket.write(lines.map((line) => `${line}\r\n`).join(''));
    write(mode === 'bad-greeting' ? dialogue.badGreeting : dialogue.greeting);
    let buffered = '';
    let commands = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        state.received.push(line);
        commands += 1;
        const reply = dialogue.replies[line];
        if (reply === undefined) write(['500 unknown command']);
        else if (mode === 'bad-reply' && commands === 1) write(dialogue.badReply);
        else write(reply);
        if (/QUIT|LOGOUT/.test(line)) socket.end();
      }
    });
  });
  state.close = () => listening.close();
  return state;
}
