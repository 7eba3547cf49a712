// The loopback services the benchmark's monitors check: a few TCP and HTTP servers on 127.0.0.x,
// run inside the bench process so that their work is not counted as the agent's.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Targets {
  tcp: Endpoint[];
  http: Endpoint[];
  close(): Promise<void>;
}

/** `count` TCP and `count` HTTP servers on 127.0.0.2 … at `tcpPort` and `httpPort`. */
export async function startTargets(count: number, tcpPort: number, httpPort: number): Promise<Targets> {
  const servers: (TcpServer | HttpServer)[] = [];
  const listen = (server: TcpServer | HttpServer, endpoint: Endpoint) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new Error(`cannot listen on ${endpoint.host}:${endpoint.port}: ${error.message}`)),
      );
      server.listen(endpoint.port, endpoint.host, () => resolve());
    });
  const hosts = Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
  const tcp = hosts.map((host) => ({ host, port: tcpPort }));
  const http = hosts.map((host) => ({ host, port: httpPort }));
  const close = async () => {
    await Promise.all(
      servers.map((server) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  };
  try {
    for (const endpoint of tcp) {
      // Accept and hang up: what a tcp monitor without send/expect needs.
      const server = createTcpServer((socket) => {
        socket.on('error', () => {});
        socket.end();
      });
      servers.push(server);
      await listen(server, endpoint);
    }
    for (const endpoint of http) {
      const server = createHttpServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok\n');
      });
      servers.push(server);
      await listen(server, endpoint);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { tcp, http, close };
}
