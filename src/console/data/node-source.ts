// A node, as the console sees it: something that gives a ControlClient. The local implementation
// connects to a unix socket; the SSH one (src/remote) plugs in behind the same interface.
import { connectUnix, type ControlClient } from '../../control/client.js';
import { PROTOCOL_VERSION } from '../../control/protocol.js';

export interface NodeSource {
  /** The server name as the operator knows it (replaced by the agent's own name once connected). */
  name: string;
  /** Where it is reached, for messages: a socket path, user@host … */
  where: string;
  /** Opens a connection; rejects with an Error whose message says why not. */
  connect(): Promise<ControlClient>;
}

const CONNECT_TIMEOUT_MS = 3000;

/** A node reached through its agent's unix control socket. */
export function unixNodeSource(name: string, socket: string): NodeSource {
  return {
    name,
    where: socket,
    async connect() {
      const client = await connectUnix(socket, CONNECT_TIMEOUT_MS);
      try {
        await client.call(
          'hello',
          { protocol: PROTOCOL_VERSION, client: 'vigil-console' },
          CONNECT_TIMEOUT_MS,
        );
      } catch (error) {
        client.close();
        throw error;
      }
      return client;
    },
  };
}
