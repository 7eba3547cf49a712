// listenUnix: directory and socket modes, stale sockets replaced, live ones and other files left alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { ControlServer } from '../../../src/control/server.js';
import { PROTOCOL_VERSION } from '../../../src/control/protocol.js';
import { FakeBackend } from './fake-backend.js';
import { LineClient, tempDir, waitFor } from './helpers.js';

function newServer(t: import('node:test').TestContext) {
  const server = new ControlServer(new FakeBackend(), { logger: memoryLogger() });
  t.after(() => server.close());
  return server;
}

test('listenUnix creates the parent directory 0750 and the socket 0660; close removes it', async (t) => {
  const dir = await tempDir(t);
  const socket = join(dir, 'run', 'vigil', 'vigild.sock');
  const server = newServer(t);
  await server.listenUnix(socket);
  assert.equal((await stat(join(dir, 'run', 'vigil'))).mode & 0o777, 0o750 & ~process.umask());
  assert.equal((await stat(socket)).mode & 0o777, 0o660);
  const client = await LineClient.connect(t, socket);
  assert.ok((await client.request(1, 'status.get')).result);
  await server.close();
  assert.equal(existsSync(socket), false);
});

test('a stale socket file (its agent was killed) is replaced', async (t) => {
  const dir = await tempDir(t);
  const socket = join(dir, 'vigild.sock');
  // A process that listens and dies by SIGKILL leaves its socket file behind.
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => child.kill('SIGKILL'));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  assert.ok((await lstat(socket)).isSocket());
  const server = newServer(t);
  await server.listenUnix(socket);
  const client = await LineClient.connect(t, socket);
  assert.ok((await client.request(1, 'status.get')).result);
});

test('a socket that still answers is not taken over', async (t) => {
  const dir = await tempDir(t);
  const socket = join(dir, 'vigild.sock');
  await newServer(t).listenUnix(socket);
  await assert.rejects(
    newServer(t).listenUnix(socket),
    /another vigild is already listening on .*vigild\.sock/,
  );
  const client = await LineClient.connect(t, socket);
  assert.ok((await client.request(1, 'hello', { protocol: PROTOCOL_VERSION })).result);
});

test('a file that is not a socket is left alone', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'vigild.sock');
  await writeFile(path, 'precious');
  await assert.rejects(
    newServer(t).listenUnix(path),
    /exists and is not a socket; remove it or choose another socket path/,
  );
  await mkdir(join(dir, 'sub'));
  assert.equal((await stat(path)).size, 8);
});

test('a socket path too long for a unix socket is refused with a clear message', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'x'.repeat(120), 'vigild.sock');
  await assert.rejects(newServer(t).listenUnix(path), /too long for a unix socket .* at most 107/);
});

test('close ends open connections', async (t) => {
  const dir = await tempDir(t);
  const socket = join(dir, 'vigild.sock');
  const server = newServer(t);
  await server.listenUnix(socket);
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'status.subscribe');
  await server.close();
  await waitFor('the client to see the end', () => client.ended);
});
