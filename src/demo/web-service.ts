// The demo's web service: answers every request with 200 and the name of the server it runs on.
// It binds one fixed address, so a second copy anywhere on this machine fails at once and loudly:
// the demo's way of showing that the group never runs twice.
import { createServer } from 'node:http';
import { serverName, serviceLifecycle } from './service-lifecycle.js';
import { WEB_LISTEN, WEB_LISTEN_ENV } from './web-listen.js';

const listen = process.env[WEB_LISTEN_ENV] ?? `${WEB_LISTEN.host}:${WEB_LISTEN.port}`;
const separator = listen.lastIndexOf(':');
const host = listen.slice(0, separator);
const port = Number(listen.slice(separator + 1));
const server = serverName();

const http = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`hello from ${server}\n`);
  request.resume();
});

http.on('error', (error: NodeJS.ErrnoException) => {
  const why =
    error.code === 'EADDRINUSE'
      ? 'the address is already in use: is another copy running? The group must never run twice'
      : error.message;
  process.stderr.write(`web-service on ${server}: cannot listen on ${host}:${port}: ${why}\n`);
  process.exit(1);
});

http.listen({ host, port }, () => {
  serviceLifecycle('web-service', () => http.close());
  const address = http.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`web-service on ${server}: listening on http://${host}:${actual}/\n`);
});
