// A stand-in for vigild in the demo tests (the real agent is tested by the process tests): takes the
// agent's flags and serves the control API of an in-memory backend whose cluster is all up.
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { memoryLogger } from '../../../src/agent/logger.js';
import { ControlServer } from '../../../src/control/server.js';
import { FakeBackend } from '../control/fake-backend.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    node: { type: 'string' },
    'state-dir': { type: 'string' },
    socket: { type: 'string' },
    log: { type: 'string' },
  },
});
const backend = new FakeBackend();
backend.update((snapshot) => {
  snapshot.node = values.node ?? '?';
  for (const server of snapshot.servers) server.self = server.name === values.node;
});
const server = new ControlServer(backend, { logger: memoryLogger() });
// Signal handlers first: a test may signal as soon as the socket exists.
if (process.env.FAKE_VIGILD_IGNORE_TERM) process.on('SIGTERM', () => undefined);
else
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
// Lets a test make a change show in the status: SIGUSR2 takes group web to s2.
process.on('SIGUSR2', () =>
  backend.update((snapshot) => {
    const web = snapshot.groups.find((group) => group.name === 'web');
    if (web) web.server = 's2';
  }),
);
if (values.log)
  appendFileSync(values.log, `${JSON.stringify({ event: 'fake-vigild-started', node: values.node })}\n`);
await server.listenUnix(values.socket as string);
process.stdout.write(`fake vigild ${values.node} up\n`);
