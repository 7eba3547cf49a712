// Keeps a control session to one remote node up for the console: connects, says hello, and when the
// session drops reconnects with exponential backoff. Host key problems and a protocol mismatch are not
// retried (they need the operator); retry() tries again at once.
import type { ControlClient } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { ErrorCode, PROTOCOL_VERSION, type Methods } from '../control/protocol.js';
import type { NodeTarget } from './node-target.js';
import { openRemoteControl, RemoteError, type RemoteOptions } from './session.js';

export type RemoteNodeState =
  | { state: 'connecting'; attempt: number; since: number }
  | { state: 'connected'; since: number; hello: Methods['hello']['result'] }
  | {
      state: 'unreachable';
      reason: string;
      since: number;
      /** When the next attempt starts (ms since the epoch); null when it waits for retry(). */
      retryAt: number | null;
    }
  | { state: 'stopped'; since: number };

export interface Backoff {
  /** First delay after a failure (default 500 ms); doubles up to maxMs (default 30 s). */
  initialMs: number;
  maxMs: number;
}

export interface RemoteNodeOptions extends RemoteOptions {
  backoff?: Partial<Backoff>;
  /** How to open a session; openRemoteControl unless a test gives another. */
  connect?: (target: NodeTarget, options: RemoteOptions) => Promise<ControlClient>;
  /** The client name sent in hello (default `vigil-console`). */
  clientName?: string;
  /** For tests: the clock. */
  now?: () => number;
}

export class RemoteNode {
  private current: RemoteNodeState;
  private session: ControlClient | undefined;
  private readonly listeners = new Set<(state: RemoteNodeState) => void>();
  private readonly clientListeners = new Set<(client: ControlClient) => void>();
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private running = false;
  private generation = 0;

  constructor(
    readonly target: NodeTarget,
    private readonly options: RemoteNodeOptions = {},
  ) {
    this.current = { state: 'stopped', since: this.now() };
  }

  get state(): RemoteNodeState {
    return this.current;
  }

  /** The connected client, while the state is `connected`. */
  get client(): ControlClient | undefined {
    return this.current.state === 'connected' ? this.session : undefined;
  }

  /** Listens to state changes; returns a function that stops listening. */
  onState(listener: (state: RemoteNodeState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with each new connected client (after every reconnection): subscribe to notifications here. */
  onConnected(listener: (client: ControlClient) => void): () => void {
    this.clientListeners.add(listener);
    return () => this.clientListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  /** Connects now: after the operator accepted a host key, or to skip the wait. */
  retry(): void {
    if (!this.running) return this.start();
    if (this.current.state === 'connecting' || this.current.state === 'connected') return;
    clearTimeout(this.timer);
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.timer);
    const session = this.session;
    this.session = undefined;
    session?.close();
    this.setState({ state: 'stopped', since: this.now() });
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.attempt++;
    this.setState({ state: 'connecting', attempt: this.attempt, since: this.now() });
    let client: ControlClient | undefined;
    try {
      client = await (this.options.connect ?? openRemoteControl)(this.target, this.options);
      if (generation !== this.generation) return client.close();
      const hello = await client.call('hello', {
        protocol: PROTOCOL_VERSION,
        client: this.options.clientName ?? 'vigil-console',
      });
      if (generation !== this.generation) return client.close();
      if (client.closed) throw new RemoteError('network', 'the session closed right after it opened');
      this.session = client;
      const connected = client;
      client.on('close', (reason) => {
        if (this.session !== connected || generation !== this.generation) return;
        this.session = undefined;
        this.attempt = 0;
        this.failed(reason?.message ?? 'the session was closed', false);
      });
      this.attempt = 0;
      this.setState({ state: 'connected', since: this.now(), hello });
      for (const listener of [...this.clientListeners]) listener(client);
    } catch (error) {
      client?.close();
      if (generation !== this.generation) return;
      const permanent =
        (error instanceof RemoteError && error.permanent) ||
        (error instanceof ControlError && error.code === ErrorCode.VersionMismatch);
      this.failed(error instanceof Error ? error.message : String(error), permanent);
    }
  }

  private failed(reason: string, permanent: boolean): void {
    if (!this.running) return;
    const { initialMs = 500, maxMs = 30_000 } = this.options.backoff ?? {};
    const delay = Math.min(maxMs, initialMs * 2 ** Math.max(0, this.attempt - 1));
    const retryAt = permanent ? null : this.now() + delay;
    this.setState({ state: 'unreachable', reason, since: this.now(), retryAt });
    if (!permanent) {
      const generation = this.generation;
      this.timer = setTimeout(() => {
        if (generation === this.generation && this.running) void this.connect();
      }, delay);
    }
  }

  private setState(state: RemoteNodeState): void {
    this.current = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
