// The agent's SSH endpoint for operators: an ssh2 Server on cluster.sshPort, bound to this server's
// LAN addresses. Operators authenticate with the public key the cluster config lists for them (and
// nothing else); an authenticated session may open one thing, the `vigil-control` subsystem, which
// is served by a ControlServer that checks the operator's role on every call and audits changes.
//
// Plain TCP listeners accept the connections; ssh2 (about 5 MB of an idle agent's memory) is loaded
// when the first one arrives and each socket is handed to its Server. Host and operator keys are
// checked at start without it (openssh-key.ts), so a bad key still fails the start or is logged then.
import { createServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { AuthContext, Connection, ParsedKey, PublicKey, Server as SshServer } from 'ssh2';
import type { Logger } from '../agent/logger.js';
import type { AuditEntry } from '../control/audit.js';
import { authorize, type Role } from '../control/authorize.js';
import type { ControlBackend } from '../control/protocol.js';
import { ControlServer } from '../control/server.js';
import type { ClusterModel } from '../engine/model.js';
import { loadOrCreateHostKey, type HostKey } from './host-key.js';
import { parsePublicKeyLine } from './openssh-key.js';

export const CONTROL_SUBSYSTEM = 'vigil-control';
export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;

export interface EndpointOperator {
  name: string;
  /** OpenSSH public key line, as in authorized_keys. */
  key: string;
  role: Role;
}

export interface AgentEndpointOptions {
  backend: ControlBackend;
  operators: EndpointOperator[];
  /** The host key lives here (ssh_host_ed25519_key). */
  stateDir: string;
  /** Where to listen: this server's LAN addresses on cluster.sshPort (see lanListenAddresses); port 0 picks one. */
  listen: { host: string; port: number }[];
  logger: Logger;
  /** The audit sink (AuditLog.record) for state-changing calls. */
  audit?: (entry: AuditEntry) => void;
  maxConnections?: number;
  /** A client that has not authenticated within this time is disconnected. */
  authTimeoutMs?: number;
  /** Passed to the ControlServer (tests shorten it). */
  statusIntervalMs?: number;
}

/** Why connections or requests were turned away, by kind: `password`, `unknown-key`, `exec` … */
export type Rejections = Record<string, number>;

/** This server's LAN addresses (one per interconnect) with the SSH port: where the endpoint listens. */
export function lanListenAddresses(
  model: ClusterModel,
  self: string,
  port: number,
): { host: string; port: number }[] {
  const server = model.servers.find((candidate) => candidate.name === self);
  const hosts = new Set<string>();
  for (const link of server?.links ?? []) if (link.kind === 'lan' && link.address) hosts.add(link.address);
  return [...hosts].map((host) => ({ host, port }));
}

interface KnownOperator {
  name: string;
  role: Role;
  /** The authorized_keys line from the config, parsed by ssh2 once it is loaded. */
  line: string;
  type: string;
  blob: Buffer;
  key?: ParsedKey;
}

export class AgentEndpoint {
  readonly hostKey: HostKey;
  readonly rejections: Rejections = {};
  private readonly operators: KnownOperator[] = [];
  private readonly control: ControlServer;
  private readonly servers: TcpServer[] = [];
  /** ssh2's Server, created with the first connection; the sockets are injected into it. */
  private ssh: Promise<SshServer> | null = null;
  private readonly clients = new Set<Connection>();
  private closing = false;

  constructor(private readonly options: AgentEndpointOptions) {
    this.hostKey = loadOrCreateHostKey(options.stateDir);
    for (const operator of options.operators) {
      try {
        const { type, blob } = parsePublicKeyLine(operator.key, `operator ${operator.name}`);
        this.operators.push({ name: operator.name, role: operator.role, line: operator.key, type, blob });
      } catch (error) {
        options.logger.error('ssh-operator-key-unusable', {
          operator: operator.name,
          error: (error as Error).message,
        });
      }
    }
    const roles = new Map(this.operators.map((operator) => [operator.name, operator.role]));
    this.control = new ControlServer(options.backend, {
      logger: options.logger,
      ...(options.statusIntervalMs === undefined ? {} : { statusIntervalMs: options.statusIntervalMs }),
      audit: options.audit,
      authorize: (operator, method, params) =>
        authorize(roles.get(operator) ?? 'viewer', method, params, operator),
    });
  }

  /** Listens on every address; fails with an error naming the address and port if one is taken. */
  async start(): Promise<void> {
    for (const { host, port } of this.options.listen) {
      const server = createServer((socket) => this.handOff(socket));
      await new Promise<void>((resolve, reject) => {
        const failed = (error: NodeJS.ErrnoException) =>
          reject(
            new Error(
              error.code === 'EADDRINUSE'
                ? `SSH port ${port} on ${host} is already in use (cluster.sshPort); stop what listens there, choose another port, or start with --no-ssh`
                : `cannot listen for SSH on ${host} port ${port}: ${error.message}`,
            ),
          );
        server.once('error', failed);
        server.listen(port, host, () => {
          server.off('error', failed);
          resolve();
        });
      }).catch(async (error: unknown) => {
        await this.close();
        throw error;
      });
      server.on('error', (error: Error) =>
        this.options.logger.error('ssh-listen-error', { host, port, error: error.message }),
      );
      this.servers.push(server);
    }
    this.options.logger.info('ssh-listening', {
      addresses: this.addresses().map(({ host, port }) => `${host}:${port}`),
      fingerprint: this.hostKey.fingerprint,
      hostKey: this.hostKey.path,
      created: this.hostKey.created,
      operators: this.operators.length,
    });
  }

  /** The addresses actually bound (with the real port when 0 was asked for). */
  addresses(): { host: string; port: number }[] {
    return this.servers.map((server) => {
      const address = server.address() as AddressInfo;
      return { host: address.address, port: address.port };
    });
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  /** Stops listening and disconnects every client. */
  async close(): Promise<void> {
    this.closing = true;
    await this.control.close();
    for (const client of this.clients) client.end();
    const servers = this.servers.splice(0);
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            // A client that ignores the disconnect must not hold up the agent's shutdown.
            const timer = setTimeout(resolve, 2000);
            server.close(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }

  /** Passes a TCP connection to ssh2, loading it first if this is the first connection. */
  private handOff(socket: Socket): void {
    socket.on('error', () => undefined); // until ssh2 owns the socket and reports its errors
    this.ssh ??= this.loadSsh();
    this.ssh.then(
      (server) => (socket.destroyed ? undefined : server.injectSocket(socket)),
      (error: unknown) => {
        this.options.logger.once('ssh-unavailable', 'error', 'ssh-unavailable', {
          error: (error as Error).message,
        });
        socket.destroy();
      },
    );
  }

  private async loadSsh(): Promise<SshServer> {
    // ssh2 is CommonJS: its runtime values come through the default export.
    const { default: ssh2 } = await import('ssh2');
    this.options.logger.info('ssh-library-loaded', { reason: 'first connection' });
    for (const operator of this.operators) {
      const parsed: unknown = ssh2.utils.parseKey(operator.line);
      const key = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
      if (key instanceof Error || key === undefined)
        this.options.logger.error('ssh-operator-key-unusable', {
          operator: operator.name,
          error: key instanceof Error ? key.message : 'no key found',
        });
      else operator.key = key as ParsedKey;
    }
    return new ssh2.Server({ hostKeys: [this.hostKey.privateKey], ident: 'vigild' }, (client, info) =>
      this.accept(client, `${info.ip}:${info.port}`),
    );
  }

  private reject(kind: string, fields: Record<string, unknown>): void {
    this.rejections[kind] = (this.rejections[kind] ?? 0) + 1;
    this.options.logger.once(`ssh-rejected-${kind}`, 'warn', 'ssh-rejected', { kind, ...fields });
  }

  private accept(client: Connection, source: string): void {
    client.on('error', (error: Error) =>
      this.options.logger.debug('ssh-connection-error', { source, error: error.message }),
    );
    const max = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (this.closing || this.clients.size >= max) {
      if (!this.closing) this.reject('too-many-connections', { source, max });
      client.end();
      return;
    }
    this.clients.add(client);
    let operator: KnownOperator | null = null;
    const authTimer = setTimeout(() => {
      this.reject('auth-timeout', { source });
      client.end();
    }, this.options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS);
    client.on('close', () => {
      clearTimeout(authTimer);
      this.clients.delete(client);
    });
    client.on('authentication', (ctx: AuthContext) => {
      if (ctx.method !== 'publickey') {
        this.reject(ctx.method, { source, user: ctx.username });
        ctx.reject(['publickey']);
        return;
      }
      const match = this.operators.find((candidate) => keyMatches(candidate, ctx.key));
      if (!match) {
        this.reject('unknown-key', { source, user: ctx.username, algo: ctx.key.algo });
        ctx.reject(['publickey']);
        return;
      }
      // Without a signature the client only asks whether the key would do; with one, it must verify.
      if (ctx.signature === undefined) {
        ctx.accept();
        return;
      }
      if (!ctx.blob || match.key?.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
        this.reject('bad-signature', { source, operator: match.name });
        ctx.reject(['publickey']);
        return;
      }
      operator = match;
      ctx.accept();
    });
    client.on('ready', () => {
      clearTimeout(authTimer);
      const who = operator;
      if (!who) {
        client.end();
        return;
      }
      this.options.logger.info('ssh-login', { operator: who.name, role: who.role, source });
      this.serveSessions(client, who, source);
    });
  }

  private serveSessions(client: Connection, operator: KnownOperator, source: string): void {
    const refuse = (kind: string) => (_accept: unknown, reject?: () => void) => {
      this.reject(kind, { source, operator: operator.name });
      reject?.();
    };
    client.on('session', (accept) => {
      const session = accept();
      session.on('subsystem', (acceptSubsystem, rejectSubsystem, info) => {
        if (info.name !== CONTROL_SUBSYSTEM) {
          refuse(`subsystem-${info.name.slice(0, 40)}`)(acceptSubsystem, rejectSubsystem);
          return;
        }
        const channel = acceptSubsystem();
        this.control.serveStream(channel, operator.name, source);
      });
      session.on('pty', refuse('pty'));
      session.on('shell', refuse('shell'));
      session.on('exec', refuse('exec'));
      session.on('sftp', refuse('sftp'));
      session.on('x11', refuse('x11'));
      session.on('auth-agent', refuse('auth-agent'));
      session.on('env', refuse('env'));
    });
    client.on('tcpip', refuse('port-forwarding'));
    client.on('openssh.streamlocal', refuse('streamlocal-forwarding'));
    client.on('request', refuse('global-request'));
  }
}

/** The offered key is the operator's: same key blob, and an algorithm that key type signs with. */
function keyMatches(operator: KnownOperator, offered: PublicKey): boolean {
  if (!operator.blob.equals(offered.data)) return false;
  if (offered.algo === operator.type) return true;
  return operator.type === 'ssh-rsa' && ['rsa-sha2-256', 'rsa-sha2-512'].includes(offered.algo);
}
