// A control connection to a remote node over SSH: the agent's own SSH endpoint (subsystem
// `vigil-control`), or a site's OpenSSH server (a `direct-streamlocal` channel to the agent's control
// socket, else `vigil bridge` run on the node). The host key is ALWAYS checked against known_hosts:
// an unknown host is asked about (onUnknownHost), a changed or revoked key is refused.
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, {
  type AuthMethod,
  type Client,
  type ClientChannel,
  type ConnectConfig,
  type ServerHostKeyAlgorithm,
} from 'ssh2';
import { ControlClient } from '../control/client.js';
import { ConnectionError } from '../control/errors.js';
import {
  addHostKey,
  defaultKnownHostsFile,
  hostKeyName,
  keyTypeOf,
  knownKeyTypes,
  verifyHostKey,
  type HostKeyVerdict,
} from './known-hosts.js';
import type { JumpHost } from './ssh-config.js';
import type { NodeTarget } from './node-target.js';

/** The subsystem the agent's SSH endpoint serves the control API on. */
export const CONTROL_SUBSYSTEM = 'vigil-control';

export interface UnknownHost {
  /** How the host is named in known_hosts (`h1`, `[h1]:29022`). */
  name: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  knownHostsFile: string;
  /** Other key types the host is already known by, if any. */
  knownTypes: string[];
}

export interface RemoteOptions {
  /** Default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Asked when the host is not in known_hosts; true accepts (and records) the key. Default: refuse. */
  onUnknownHost?: (host: UnknownHost) => boolean | Promise<boolean>;
  /** The ssh-agent socket; default $SSH_AUTH_SOCK; null for none. */
  agentSocket?: string | null;
  /** How long the TCP connection and the SSH handshake may take (default 10 s). */
  readyTimeoutMs?: number;
  /** SSH keepalive interval (default 15 s); after `keepaliveCountMax` (3) unanswered, the session drops. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** The operator's client name in error messages; default `user@alias`. */
  label?: string;
}

export type RemoteErrorKind =
  'host-key-unknown' | 'host-key-changed' | 'host-key-revoked' | 'auth' | 'network' | 'channel';

/** Why a remote node cannot be reached; a ConnectionError, so the CLI exits 2 with the message. */
export class RemoteError extends ConnectionError {
  override name = 'RemoteError';

  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** Host key problems need the operator; retrying would not help. */
  get permanent(): boolean {
    return this.kind.startsWith('host-key');
  }
}

interface Hop {
  host: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
}

/** Opens a connected ControlClient to `target`; closing the client ends the SSH connection. */
export async function openRemoteControl(
  target: NodeTarget,
  options: RemoteOptions = {},
): Promise<ControlClient> {
  const clients: Client[] = [];
  const endAll = () => {
    for (const client of clients.reverse()) client.end();
  };
  try {
    let sock: Duplex | undefined;
    if (target.proxyJump) {
      const jump = await connectSsh(hopOf(target.proxyJump), options, undefined);
      clients.push(jump);
      sock = await forward(jump, target.proxyJump, target.hostname, target.port);
    }
    const ssh = await connectSsh(hopOf(target), options, sock);
    clients.push(ssh);
    const channel = await openChannel(ssh, target);
    const label =
      options.label ?? `vigild on ${target.alias} (ssh ${hostKeyName(target.hostname, target.port)})`;
    const client = new ControlClient(channel, label);
    client.on('close', endAll);
    // A dropped SSH connection (keepalive timeout, network) ends the channel too; make sure it does.
    ssh.on('close', () => channel.destroy());
    return client;
  } catch (error) {
    endAll();
    throw error;
  }
}

function hopOf(target: NodeTarget | JumpHost): Hop {
  const host = 'alias' in target ? target.alias : target.host;
  return {
    host,
    hostname: target.hostname,
    port: target.port,
    user: target.user,
    identityFiles: target.identityFiles,
  };
}

function forward(jump: Client, via: JumpHost, hostname: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    jump.forwardOut('127.0.0.1', 0, hostname, port, (error, stream) =>
      error
        ? reject(
            new RemoteError(
              'network',
              `the jump host ${via.host} could not reach ${hostname}:${port}: ${error.message}`,
            ),
          )
        : resolve(stream),
    ),
  );
}

async function connectSsh(hop: Hop, options: RemoteOptions, sock: Duplex | undefined): Promise<Client> {
  const knownHostsFile = options.knownHostsFile ?? defaultKnownHostsFile();
  const where = hostKeyName(hop.hostname, hop.port);
  const { methods, tried, notes } = await authMethods(hop, options);
  if (methods.length === 0)
    throw new RemoteError(
      'auth',
      `no SSH key to offer to ${where}: no ssh-agent and no usable identity file (${[`tried ${hop.identityFiles.join(', ')}`, ...notes].join('; ')}); give --identity FILE or start ssh-agent`,
    );
  // Prefer the key types this host is already known by, as OpenSSH does, so a host known by its
  // ECDSA key is not reported as unknown because an Ed25519 key was negotiated.
  const known = await knownKeyTypes(knownHostsFile, hop.hostname, hop.port);
  let refusal: RemoteError | undefined;
  const client = new ssh2.Client();
  const config: ConnectConfig = {
    host: hop.hostname,
    port: hop.port,
    username: hop.user,
    readyTimeout: options.readyTimeoutMs ?? 10_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 3,
    authHandler: methods,
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      checkHostKey(hop, key, knownHostsFile, options).then(
        () => verify(true),
        (error: unknown) => {
          refusal =
            error instanceof RemoteError
              ? error
              : new RemoteError(
                  'host-key-unknown',
                  `cannot check the host key of ${where}: ${String(error)}`,
                );
          verify(false);
        },
      );
    },
    ...(sock ? { sock } : {}),
  };
  if (known.length > 0) config.algorithms = { serverHostKey: preferKnown(known) };
  return new Promise((resolve, reject) => {
    let settled = false;
    client.once('ready', () => {
      settled = true;
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(refusal ?? describeFailure(error, hop, where, tried));
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      reject(
        refusal ?? new RemoteError('network', `${where} closed the connection during the SSH handshake`),
      );
    });
    client.connect(config);
  });
}

const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function preferKnown(known: string[]): ServerHostKeyAlgorithm[] {
  const isKnown = (algo: string) => known.includes(algo.startsWith('rsa-sha2-') ? 'ssh-rsa' : algo);
  return [...HOST_KEY_ALGORITHMS.filter(isKnown), ...HOST_KEY_ALGORITHMS.filter((algo) => !isKnown(algo))];
}

/** Resolves when the key may be used; rejects with the operator's explanation otherwise. */
async function checkHostKey(hop: Hop, key: Buffer, file: string, options: RemoteOptions): Promise<void> {
  const keyType = keyTypeOf(key) ?? 'unknown';
  const where = hostKeyName(hop.hostname, hop.port);
  const display = hop.port === 22 ? hop.hostname : `${hop.hostname}:${hop.port}`;
  const verdict: HostKeyVerdict = await verifyHostKey(file, hop.hostname, hop.port, keyType, key);
  switch (verdict.result) {
    case 'match':
      return;
    case 'mismatch':
      throw new RemoteError(
        'host-key-changed',
        `host key for ${display} changed: it offered ${keyType} ${verdict.fingerprint}, but ${verdict.file} line ${verdict.line} says ${verdict.expectedFingerprint}; this may be an attack. If the server was reinstalled, check the new fingerprint on it and remove that line (ssh-keygen -R '${where}' -f ${verdict.file})`,
      );
    case 'revoked':
      throw new RemoteError(
        'host-key-revoked',
        `host key for ${display} (${keyType} ${verdict.fingerprint}) is revoked in ${verdict.file} line ${verdict.line}; refusing to connect`,
      );
    case 'unknown': {
      const unknown: UnknownHost = {
        name: where,
        host: hop.hostname,
        port: hop.port,
        keyType,
        fingerprint: verdict.fingerprint,
        knownHostsFile: file,
        knownTypes: verdict.knownTypes,
      };
      const accepted = options.onUnknownHost ? await options.onUnknownHost(unknown) : false;
      if (!accepted)
        throw new RemoteError(
          'host-key-unknown',
          `the host key of ${display} is not known (${keyType} ${verdict.fingerprint}, not in ${file}); check that fingerprint on the server (ssh-keygen -lf on its host key), then run again with --accept-new to trust it`,
        );
      await addHostKey(file, hop.hostname, hop.port, keyType, key);
    }
  }
}

async function authMethods(
  hop: Hop,
  options: RemoteOptions,
): Promise<{ methods: AuthMethod[]; tried: string[]; notes: string[] }> {
  const methods: AuthMethod[] = [];
  const tried: string[] = [];
  const notes: string[] = [];
  const agent = options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket;
  // ssh2 gives up entirely when the agent socket is dead, so a stale $SSH_AUTH_SOCK is skipped.
  if (agent && (await socketAnswers(agent))) {
    methods.push({ type: 'agent', username: hop.user, agent } as AuthMethod);
    tried.push('ssh-agent');
  } else if (agent) notes.push(`ssh-agent at ${agent} does not answer`);
  for (const file of hop.identityFiles) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      continue;
    }
    const parsed = ssh2.utils.parseKey(data);
    if (parsed instanceof Error) {
      notes.push(
        /encrypted|passphrase/i.test(parsed.message)
          ? `${file} is protected by a passphrase: add it to ssh-agent (ssh-add ${file})`
          : `${file} is not a private key vigil can read (${parsed.message})`,
      );
      continue;
    }
    methods.push({ type: 'publickey', username: hop.user, key: data } as AuthMethod);
    tried.push(file);
  }
  return { methods, tried, notes };
}

function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (answers: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answers);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function describeFailure(
  error: Error & { level?: string; code?: string },
  hop: Hop,
  where: string,
  tried: string[],
): RemoteError {
  if (error.level === 'client-authentication')
    return new RemoteError(
      'auth',
      `${hop.user}@${where} accepted none of the keys offered (${tried.join(', ')}): is your public key in the cluster config's operator list (or the node's authorized_keys for --via openssh)?`,
    );
  if (error.level === 'client-timeout')
    return new RemoteError(
      'network',
      `no SSH handshake with ${where} within the time allowed: is the node up?`,
    );
  if (error.level === 'client-socket' || error.code)
    return new RemoteError(
      'network',
      error.code === 'ECONNREFUSED'
        ? `nothing accepts SSH connections on ${where} (ECONNREFUSED): is vigild running there with its SSH endpoint, or did you mean --via openssh?`
        : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
          ? `cannot resolve the host name ${hop.hostname} (${error.code})`
          : `cannot connect to ${where}: ${error.message}`,
    );
  return new RemoteError('network', `SSH to ${where} failed: ${error.message}`);
}

async function openChannel(ssh: Client, target: NodeTarget): Promise<ClientChannel> {
  const where = hostKeyName(target.hostname, target.port);
  if (target.method === 'endpoint')
    return new Promise((resolve, reject) =>
      ssh.subsys(CONTROL_SUBSYSTEM, (error, channel) =>
        error
          ? reject(
              new RemoteError(
                'channel',
                `${where} does not serve the ${CONTROL_SUBSYSTEM} subsystem (${error.message}): is this vigild's SSH endpoint, or a site sshd (then use --via openssh)?`,
              ),
            )
          : resolve(channel),
      ),
    );
  try {
    return await new Promise<ClientChannel>((resolve, reject) =>
      ssh.openssh_forwardOutStreamLocal(target.socketPath, (error, channel) =>
        error ? reject(error) : resolve(channel),
      ),
    );
  } catch (forwardError) {
    // Sites that disable stream forwarding (AllowStreamLocalForwarding no) may still allow exec.
    return execBridge(ssh, target, where, (forwardError as Error).message);
  }
}

function execBridge(ssh: Client, target: NodeTarget, where: string, why: string): Promise<ClientChannel> {
  const command = `vigil bridge --socket ${shellQuote(target.socketPath)}`;
  return new Promise((resolve, reject) =>
    ssh.exec(command, (error, channel) => {
      if (error)
        return reject(
          new RemoteError(
            'channel',
            `${where} allows neither a stream to ${target.socketPath} (${why}) nor running "${command}" (${error.message})`,
          ),
        );
      // The bridge reports its own failures on stderr; keep the last of it for the close reason.
      channel.stderr.resume();
      resolve(channel);
    }),
  );
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
