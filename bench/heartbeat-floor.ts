// The floor for bench:heartbeat: a bare node process that does only what any heartbeat agent must,
// at the same rate: a tick timer every 50 ms, one HMAC-signed datagram of a heartbeat's size to each
// of PEERS peers every 100 ms, and the check of as many arriving ones. Its CPU and memory on the
// same machine say how much of an agent's figures node itself costs.
// Usage: node heartbeat-floor.js PEERS (runs until killed).
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';

const peers = Number(process.argv[2] ?? 2);
const key = Buffer.alloc(32, 7);
const body = Buffer.from(JSON.stringify({ state: 'x'.repeat(900) }));
const socket = dgram.createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
  const { port } = socket.address();
  socket.on('message', (datagram) => {
    const tag = createHmac('sha256', key).update(datagram.subarray(32)).digest();
    if (tag.equals(datagram.subarray(0, 32))) JSON.parse(datagram.subarray(32).toString('utf8'));
  });
  setInterval(() => undefined, 50);
  setInterval(() => {
    for (let i = 0; i < peers; i++) {
      const tag = createHmac('sha256', key).update(body).digest();
      socket.send(Buffer.concat([tag, body]), port, '127.0.0.1');
    }
  }, 100);
});
