// The floor for bench:heartbeat: a bare node process that does only what any heartbeat agent must,
// at the same rate: a tick timer every 50 ms, one HMAC-signed datagram of a heartbeat's size to each
// peer every 100 ms, and the check of each arriving one. The bench starts one per server, and they
// send to each other as the agents do (on loopback, a sender's system call also delivers to and wakes
// each receiving process). Their CPU and memory on the same machine say how much of an agent's
// figures node itself costs.
// Usage: node heartbeat-floor.js INDEX COUNT BASE_PORT (runs until killed; listens on BASE_PORT+INDEX).
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';

const [index = 0, count = 3, basePort = 42150] = process.argv.slice(2).map(Number);
const key = Buffer.alloc(32, 7);
const body = Buffer.from(JSON.stringify({ state: 'x'.repeat(400) }));
const peerPorts = Array.from({ length: count }, (_, i) => basePort + i).filter((_, i) => i !== index);
const socket = dgram.createSocket('udp4');
socket.bind(basePort + index, '127.0.0.1', () => {
  socket.on('message', (datagram) => {
    const tag = createHmac('sha256', key).update(datagram.subarray(32)).digest();
    if (tag.equals(datagram.subarray(0, 32))) JSON.parse(datagram.subarray(32).toString('utf8'));
  });
  setInterval(() => undefined, 50);
  setInterval(() => {
    for (const port of peerPorts) {
      const tag = createHmac('sha256', key).update(body).digest();
      socket.send(Buffer.concat([tag, body]), port, '127.0.0.1');
    }
  }, 100);
});
