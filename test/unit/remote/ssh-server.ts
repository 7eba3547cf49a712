// An in-test SSH server on 127.0.0.1 (random port) with its own host key, one authorized client key,
// and the ways vigil reaches an agent: the `vigil-control` subsystem (served by a ControlServer with
// the fake backend), `direct-streamlocal` to a unix control socket, and exec of `vigil bridge`.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import ssh2, { type Connection } from 'ssh2';

const { Server, utils } = ssh2;
import { memoryLogger } from '../../../src/agent/logger.js';
import { ControlServer } from '../../../src/control/server.js';
import { startServer, tempDir, type TestServer } from '../control/helpers.js';
import { FakeBackend } from '../control/fake-backend.js';
import { repo } from '../cli/run-vigil.js';

export interface TestSsh {
  port: number;
  dir: string;
  /** The client's private key file (OpenSSH format, mode 0600). */
  identity: string;
  /** The server's host public key blob and its type. */
  hostKey: Buffer;
  hostKeyType: string;
  backend: FakeBackend;
  /** The unix control socket reachable through direct-streamlocal and `vigil bridge`. */
  control: TestServer;
  /** What the server saw: subsystem names, streamlocal paths, exec commands, users. */
  seen: { subsystems: string[]; streamlocal: string[]; exec: string[]; users: string[]; tcpip: string[] };
  /** Ends every SSH connection (to test reconnection). */
  dropAll(): void;
  close(): Promise<void>;
}

export interface TestSshOptions {
  /** Refuse direct-streamlocal (as `AllowStreamLocalForwarding no` does). */
  noStreamLocal?: boolean;
  /** Refuse the vigil-control subsystem (as a site's own sshd does). */
  noSubsystem?: boolean;
  /** Use this host key instead of a fresh one (to reuse a server identity across restarts). */
  hostPrivateKey?: string;
  port?: number;
}

/**
 * A fresh ed25519 key pair that ssh2 can read back: about 1 in 256 of the pairs ssh2 generates are
 * malformed (a leading zero byte of the public key is dropped; mscdex/ssh2 issues 1390 and 1513).
 */
export function newKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error))
      return pair;
  }
}

export async function startSsh(t: TestContext, options: TestSshOptions = {}): Promise<TestSsh> {
  const dir = await tempDir(t, 'vigil-ssh-');
  const host = options.hostPrivateKey ?? newKeyPair().private;
  const parsedHost = utils.parseKey(host);
  if (parsedHost instanceof Error) throw parsedHost;
  const clientKeys = newKeyPair();
  const identity = join(dir, 'id_ed25519');
  await writeFile(identity, clientKeys.private, { mode: 0o600 });
  const authorized = utils.parseKey(clientKeys.public);
  if (authorized instanceof Error) throw authorized;
  const control = await startServer(t);
  const backend = control.backend;
  // The subsystem is served in-process, as the agent's endpoint does.
  const subsystemServer = new ControlServer(backend, { logger: memoryLogger() });
  const seen: TestSsh['seen'] = { subsystems: [], streamlocal: [], exec: [], users: [], tcpip: [] };
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [host] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const publicSsh = authorized.getPublicSSH();
      if (ctx.key.algo !== authorized.type || !ctx.key.data.equals(publicSsh)) return ctx.reject();
      if (ctx.signature && ctx.blob && !authorized.verify(ctx.blob, ctx.signature, ctx.hashAlgo))
        return ctx.reject();
      if (ctx.signature) seen.users.push(ctx.username);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (accept, reject, info) => {
          seen.subsystems.push(info.name);
          if (options.noSubsystem || info.name !== 'vigil-control') return reject();
          subsystemServer.serveStream(accept(), 'ssh:test-operator');
        });
        session.on('exec', (accept, reject, info) => {
          seen.exec.push(info.command);
          const match = /^vigil bridge --socket (\S+)$/.exec(info.command);
          if (!match) return reject();
          const channel = accept();
          const child = spawn(
            process.execPath,
            [`${repo}bin/vigil`, 'bridge', '--socket', match[1] as string],
            {
              stdio: ['pipe', 'pipe', 'pipe'],
            },
          );
          channel.pipe(child.stdin);
          child.stdout.pipe(channel);
          child.stderr.pipe(channel.stderr);
          child.on('close', (code) => {
            channel.exit(code ?? 1);
            channel.end();
          });
          channel.on('close', () => child.stdin.end());
        });
      });
      // As a jump host: direct-tcpip to 127.0.0.1 only.
      client.on('tcpip', (accept, reject, info) => {
        seen.tcpip.push(`${info.destIP}:${info.destPort}`);
        if (info.destIP !== '127.0.0.1') return reject();
        const socket = createConnection(info.destPort, info.destIP);
        socket.once('error', () => reject());
        socket.once('connect', () => {
          const channel = accept();
          socket.pipe(channel).pipe(socket);
          socket.on('error', () => channel.destroy());
          channel.on('close', () => socket.destroy());
        });
      });
      client.on('openssh.streamlocal', (accept, reject, info) => {
        seen.streamlocal.push(info.socketPath);
        if (options.noStreamLocal) return reject();
        const socket = createConnection(info.socketPath);
        socket.once('error', () => reject());
        socket.once('connect', () => {
          const channel = accept();
          socket.pipe(channel).pipe(socket);
          socket.on('error', () => channel.destroy());
          channel.on('close', () => socket.destroy());
        });
      });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  const dropAll = () => {
    for (const connection of connections) connection.end();
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    dropAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await subsystemServer.close();
  };
  t.after(close);
  return {
    port,
    dir,
    identity,
    hostKey: parsedHost.getPublicSSH(),
    hostKeyType: parsedHost.type,
    backend,
    control,
    seen,
    dropAll,
    close,
  };
}
