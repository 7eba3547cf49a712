// Starts PeerChannels for a loopback test cluster and closes them all, even when a test fails.
import { randomBytes } from 'node:crypto';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger, type LogRecord } from '../../../src/agent/logger.js';
import { PeerChannel, type PeerChannelOptions, type PeerState } from '../../../src/agent/peer-channel.js';
import type { ClusterModel } from '../../../src/engine/model.js';
import { clusterModel, loopbackAddresses, randomPort } from './helpers.js';

export const CLUSTER = 'prod';

export interface TestServer {
  channel: PeerChannel;
  logs: LogRecord[];
  /** Every state change seen, as "peer:state". */
  states: string[];
  messages: { from: string; message: unknown }[];
}

export class PeerCluster {
  readonly model: ClusterModel;
  readonly port = randomPort();
  readonly key = deriveKey(ClusterKey.fromBytes(randomBytes(32)), CLUSTER, 'peer-psk');
  readonly servers = new Map<string, TestServer>();

  /** `lans` addresses per server (1 = lan0 only, 2 = lan0 and lan1). */
  constructor(
    readonly names: string[],
    lans = 1,
    private readonly tuning: Partial<PeerChannelOptions> = {},
  ) {
    const addresses = loopbackAddresses(names.length * lans);
    this.model = clusterModel(
      CLUSTER,
      names.map((name, index) => [
        name,
        Array.from({ length: lans }, (_, rank) => addresses[rank * names.length + index] as string),
      ]),
    );
  }

  addressOf(name: string, rank = 0): string {
    const server = this.model.servers.find((s) => s.name === name);
    const address = server?.links[rank]?.address;
    if (!address) throw new Error(`no lan${rank} address for ${name}`);
    return address;
  }

  /** Creates and starts the named server's channel (again, after stop()). */
  async start(name: string): Promise<TestServer> {
    const logger = memoryLogger();
    const channel = new PeerChannel({
      model: this.model,
      self: name,
      port: this.port,
      key: this.key,
      logger,
      ...this.tuning,
    });
    const server: TestServer = { channel, logs: logger.records, states: [], messages: [] };
    channel.onPeerState((peer: string, state: PeerState) => server.states.push(`${peer}:${state}`));
    channel.onMessage((from, message) => server.messages.push({ from, message }));
    this.servers.set(name, server);
    await channel.start();
    return server;
  }

  async startAll(): Promise<void> {
    for (const name of this.names) await this.start(name);
  }

  get(name: string): TestServer {
    const server = this.servers.get(name);
    if (!server) throw new Error(`${name} is not running`);
    return server;
  }

  async stop(name: string): Promise<void> {
    await this.servers.get(name)?.channel.close();
    this.servers.delete(name);
  }

  allConnected(): boolean {
    return [...this.servers.entries()].every(([self, server]) =>
      this.names.every(
        (peer) => peer === self || !this.servers.has(peer) || server.channel.state(peer) === 'connected',
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.channel.close()));
    this.servers.clear();
  }
}
