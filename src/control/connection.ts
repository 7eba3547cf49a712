// One client connection of the control server: reads requests line by line, answers each (a bad
// request gets a specific error, never an exception), and feeds the client's subscriptions.
import type { Duplex } from 'node:stream';
import type { Logger } from '../agent/logger.js';
import { AUDITED_METHODS, type AuditEntry } from './audit.js';
import { ControlError, toControlError } from './errors.js';
import { LineSplitter } from './lines.js';
import { encodeError, encodeNotification, encodeResult, isRecord, type RequestId } from './messages.js';
import { Outbox } from './outbox.js';
import { checkParams, isMethodName, METHOD_NAMES } from './params.js';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type AlertEntry,
  type ControlBackend,
  type LogLine,
  type MethodName,
  type Methods,
} from './protocol.js';
import { StatusFeed } from './status-feed.js';

export interface ConnectionOptions {
  logger: Logger;
  maxLineBytes: number;
  statusIntervalMs: number;
  maxQueuedEvents: number;
  /** Where the connection comes from, for the audit log: `ip:port` or `local`. */
  source?: string;
  /** null when this connection may make the call, else why not (answered with Forbidden). */
  authorize?: (method: string, params: unknown) => string | null;
  /** Receives every state-changing call (AUDITED_METHODS) once it has ended. */
  audit?: (entry: AuditEntry) => void;
}

/** A handler's answer; `afterReply` starts notifications only once the reply is on its way. */
interface Reply {
  result: unknown;
  afterReply?: () => void;
}

type Handlers = { [M in MethodName]: (params: Methods[M]['params']) => Promise<Reply> };

const DEFAULT_TAIL_LINES = 100;
/** How long a closing connection may take to flush its last error before it is cut. */
const CLOSE_GRACE_MS = 1000;

export class Connection {
  private readonly splitter: LineSplitter;
  private readonly outbox: Outbox;
  private readonly unsubscribers = new Map<string, () => void>();
  private statusFeed: StatusFeed | null = null;
  private inFlight = 0;
  private peerEnded = false;
  private closed = false;
  private failing = false;
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: Duplex,
    readonly operator: string,
    private readonly backend: ControlBackend,
    private readonly options: ConnectionOptions,
    private readonly onClosed: (connection: Connection) => void,
  ) {
    this.outbox = new Outbox(stream, options.maxQueuedEvents, () =>
      this.fail(
        ErrorCode.InternalError,
        `too slow: more than ${options.maxQueuedEvents} notifications waiting; closing the connection`,
        'control-slow-client',
      ),
    );
    this.splitter = new LineSplitter(
      options.maxLineBytes,
      (line) => this.handleLine(line),
      () =>
        this.fail(
          ErrorCode.InvalidRequest,
          `request longer than ${options.maxLineBytes} bytes; closing the connection`,
          'control-oversize-request',
        ),
    );
    stream.on('data', (chunk: Buffer | string) =>
      this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    // While the client does not read our replies, stop reading its requests: memory stays bounded.
    this.outbox.onDrain(() => {
      if (!this.closed && !this.failing) stream.resume();
    });
    stream.on('end', () => {
      this.peerEnded = true;
      this.endIfIdle();
    });
    stream.on('error', (error) => options.logger.debug('control-connection-error', { error: error.message }));
    stream.on('close', () => this.cleanUp());
  }

  /** Ends the connection now (server shutdown). */
  destroy(): void {
    this.stream.destroy();
    this.cleanUp();
  }

  private handleLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.badRequest(null, ErrorCode.ParseError, `not valid JSON: ${(error as Error).message}`, 'parse');
      return;
    }
    if (Array.isArray(message)) {
      this.badRequest(
        null,
        ErrorCode.InvalidRequest,
        'batch requests are not supported; send one request per line',
        'batch',
      );
      return;
    }
    if (!isRecord(message)) {
      this.badRequest(null, ErrorCode.InvalidRequest, 'a request must be a JSON object', 'not-object');
      return;
    }
    const id = message.id;
    if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
      this.badRequest(null, ErrorCode.InvalidRequest, 'id must be a string, a number or null', 'id');
      return;
    }
    const requestId: RequestId = id ?? null;
    if (message.jsonrpc !== '2.0') {
      this.badRequest(requestId, ErrorCode.InvalidRequest, 'jsonrpc must be "2.0"', 'version-field');
      return;
    }
    const method = message.method;
    if (typeof method !== 'string') {
      this.badRequest(requestId, ErrorCode.InvalidRequest, 'method must be a string', 'method-field');
      return;
    }
    // A request without an id is a JSON-RPC notification: it is carried out but never answered.
    const answer = id !== undefined;
    if (!isMethodName(method)) {
      if (answer)
        this.badRequest(
          requestId,
          ErrorCode.MethodNotFound,
          `unknown method "${method}"; methods are: ${METHOD_NAMES.join(', ')}`,
          'method',
          { methods: METHOD_NAMES },
        );
      return;
    }
    this.inFlight++;
    this.run(method, message.params)
      .then(
        (reply) => {
          if (answer) this.reply(encodeResult(requestId, reply.result));
          if (!this.closed && !this.failing) reply.afterReply?.();
        },
        (error: unknown) => {
          const controlError = toControlError(error, method);
          if (controlError.code === ErrorCode.InternalError)
            this.options.logger.error('control-internal-error', { method, error: controlError.message });
          if (answer) this.reply(encodeError(requestId, controlError.toObject()));
        },
      )
      .finally(() => {
        this.inFlight--;
        this.endIfIdle();
      });
  }

  private run<M extends MethodName>(method: M, rawParams: unknown): Promise<Reply> {
    let params: Methods[M]['params'];
    let reply: Promise<Reply>;
    try {
      params = checkParams(method, rawParams);
      const denied = this.options.authorize?.(method, params) ?? null;
      reply =
        denied === null
          ? (this.handlers[method] as (params: Methods[M]['params']) => Promise<Reply>)(params)
          : Promise.reject(new ControlError(ErrorCode.Forbidden, denied));
    } catch (error) {
      return Promise.reject(error);
    }
    const audit = this.options.audit;
    if (!audit || !AUDITED_METHODS.has(method)) return reply;
    const entry = (ok: boolean, result: unknown): AuditEntry => ({
      at: new Date().toISOString(),
      operator: this.operator,
      source: this.options.source ?? 'local',
      method,
      params,
      ok,
      result,
    });
    return reply.then(
      (done) => {
        audit(entry(true, done.result));
        return done;
      },
      (error: unknown) => {
        audit(entry(false, toControlError(error, method).toObject()));
        throw error;
      },
    );
  }

  /** A drill method of the backend, bound; refused when the backend has no drills. */
  private drillBackend<K extends 'dummyFailure' | 'drillStart' | 'drillStop' | 'drillGet'>(
    name: K,
  ): NonNullable<ControlBackend[K]> {
    const method = this.backend[name];
    if (typeof method !== 'function')
      throw new ControlError(ErrorCode.Refused, `this agent (${this.backend.serverName}) runs no drills`);
    return (method as (...args: unknown[]) => unknown).bind(this.backend) as NonNullable<ControlBackend[K]>;
  }

  private readonly handlers: Handlers = {
    hello: async ({ protocol }) => {
      if (protocol !== PROTOCOL_VERSION)
        throw new ControlError(
          ErrorCode.VersionMismatch,
          `this vigild speaks control protocol ${PROTOCOL_VERSION} and the client ${protocol}; use vigil and vigild of the same release`,
          { client: protocol, server: PROTOCOL_VERSION },
        );
      return {
        result: {
          protocol: PROTOCOL_VERSION,
          server: this.backend.serverName,
          cluster: this.backend.clusterName,
        },
      };
    },
    'status.get': async () => ({ result: this.backend.status() }),
    'status.subscribe': async () => {
      const result = this.backend.status();
      return { result, afterReply: () => this.subscribeStatus() };
    },
    command: async ({ command }) => {
      const audit = { operator: this.operator, method: 'command', command };
      let outcome: { ok: boolean; message: string };
      try {
        outcome = await this.backend.command(command, this.operator);
      } catch (error) {
        this.options.logger.info('control-call', { ...audit, ok: false, error: (error as Error).message });
        throw error;
      }
      this.options.logger.info('control-call', { ...audit, ok: outcome.ok, message: outcome.message });
      if (!outcome.ok) throw new ControlError(ErrorCode.Refused, outcome.message);
      return { result: { message: outcome.message } };
    },
    'alerts.list': async ({ unacknowledgedOnly }) => {
      const alerts = this.backend.alerts();
      return { result: unacknowledgedOnly ? alerts.filter((alert) => alert.ack === null) : alerts };
    },
    'alerts.ack': async ({ ids, note }) => {
      const audit = { operator: this.operator, method: 'alerts.ack', ids };
      let acknowledged: number;
      try {
        acknowledged = await this.backend.acknowledge(ids, this.operator, note ?? '');
      } catch (error) {
        this.options.logger.info('control-call', { ...audit, ok: false, error: (error as Error).message });
        throw error;
      }
      this.options.logger.info('control-call', { ...audit, ok: true, acknowledged });
      return { result: { acknowledged } };
    },
    'monitor.report': async ({ monitor, ok, text }) => {
      const audit = { operator: this.operator, method: 'monitor.report', monitor, ok };
      const outcome = await this.backend.report(monitor, ok, text ?? '', this.operator);
      this.options.logger.info('control-call', { ...audit, accepted: outcome.ok, message: outcome.message });
      if (!outcome.ok) throw new ControlError(ErrorCode.Refused, outcome.message);
      return { result: { message: outcome.message } };
    },
    'monitor.dummy-failure': async ({ monitor, on, server }) => {
      const outcome = await this.drillBackend('dummyFailure')(monitor, on, server, this.operator);
      this.options.logger.info('control-call', {
        operator: this.operator,
        method: 'monitor.dummy-failure',
        monitor,
        on,
        ok: outcome.ok,
      });
      if (!outcome.ok) throw new ControlError(ErrorCode.Refused, outcome.message);
      return { result: { message: outcome.message } };
    },
    'drill.start': async (request) => ({
      result: await refusedOnError(() => this.drillBackend('drillStart')(request, this.operator)),
    }),
    'drill.stop': async ({ id }) => ({
      result: await refusedOnError(() => this.drillBackend('drillStop')(id, this.operator)),
    }),
    'drill.get': async ({ id }) => ({
      result: await refusedOnError(async () => this.drillBackend('drillGet')(id)),
    }),
    'alerts.subscribe': async () => {
      const early = this.earlyEvents<AlertEntry>('alerts', 'alert', (listener) =>
        this.backend.onAlert(listener),
      );
      const result = this.backend.alerts();
      return { result, afterReply: () => early.open() };
    },
    'logs.tail': async ({ node, lines, follow }) => {
      const server = node ?? this.backend.serverName;
      const early = follow
        ? this.earlyEvents<LogLine>('logs', 'log', (listener) =>
            this.backend.onLog((line) => {
              if (line.server === server) listener(line);
            }),
          )
        : null;
      let result: LogLine[];
      try {
        result = await this.backend.logTail(node, lines ?? DEFAULT_TAIL_LINES);
      } catch (error) {
        early?.cancel();
        throw error;
      }
      // Lines logged while the tail was read may be in both; send them once.
      const seen = new Set(result.map((line) => JSON.stringify(line)));
      return { result, afterReply: () => early?.open((line) => !seen.has(JSON.stringify(line))) };
    },
    'logs.collect': async ({ node, offset }) => ({
      result: await this.backend.logChunk(node, offset ?? 0),
    }),
    'logs.snapshot': async ({ node }) => ({ result: await this.backend.nodeSnapshot(node) }),
    'config.get': async () => {
      this.options.logger.info('control-call', { operator: this.operator, method: 'config.get' });
      return { result: await this.backend.redactedConfig() };
    },
    'monitors.lateness': async ({ reset }) => ({ result: this.backend.monitorLateness(reset === true) }),
  };

  private subscribeStatus(): void {
    if (this.statusFeed) return;
    const feed = new StatusFeed(this.outbox, this.options.statusIntervalMs, () =>
      encodeNotification('status', this.backend.status()),
    );
    this.statusFeed = feed;
    this.replaceSubscription(
      'status',
      this.backend.onStatusChange(() => feed.changed()),
    );
  }

  /**
   * Subscribes at once but holds what arrives until `open`, so notifications never overtake the
   * reply that carries the current state.
   */
  private earlyEvents<T>(
    key: string,
    notification: 'alert' | 'log',
    subscribe: (listener: (value: T) => void) => () => void,
  ): { open: (keep?: (value: T) => boolean) => void; cancel: () => void } {
    let held: T[] | null = [];
    const unsubscribe = subscribe((value) => {
      if (held === null) this.outbox.event(encodeNotification(notification, value));
      else if (held.length < this.options.maxQueuedEvents) held.push(value);
    });
    if (this.closed) unsubscribe();
    else this.replaceSubscription(key, unsubscribe);
    return {
      open: (keep = () => true) => {
        const waiting = held ?? [];
        held = null;
        for (const value of waiting)
          if (keep(value)) this.outbox.event(encodeNotification(notification, value));
      },
      cancel: () => {
        if (this.unsubscribers.get(key) === unsubscribe) this.unsubscribers.delete(key);
        unsubscribe();
      },
    };
  }

  private replaceSubscription(key: string, unsubscribe: () => void): void {
    this.unsubscribers.get(key)?.();
    this.unsubscribers.set(key, unsubscribe);
  }

  private badRequest(id: RequestId, code: number, message: string, kind: string, data?: unknown): void {
    this.options.logger.once(`control-bad-request-${kind}`, 'warn', 'control-bad-request', {
      operator: this.operator,
      error: message,
    });
    this.reply(encodeError(id, new ControlError(code, message, data).toObject()));
  }

  private reply(line: string): void {
    if (this.failing) return;
    this.outbox.reply(line);
    if (this.outbox.congested) this.stream.pause();
  }

  /** Sends one last error (id null: it answers no request in particular) and closes. */
  private fail(code: number, message: string, event: string): void {
    if (this.closed || this.failing) return;
    this.failing = true;
    this.options.logger.warn(event, { operator: this.operator, error: message });
    this.splitter.stop();
    this.outbox.reply(encodeError(null, { code, message }));
    this.outbox.discard();
    this.stopSubscriptions();
    this.stream.end();
    // A client that does not read never lets the end through; cut it after a grace period.
    this.closeTimer = setTimeout(() => this.destroy(), CLOSE_GRACE_MS);
  }

  private endIfIdle(): void {
    if (this.peerEnded && this.inFlight === 0 && !this.stream.writableEnded) this.stream.end();
  }

  private stopSubscriptions(): void {
    this.statusFeed?.stop();
    for (const unsubscribe of this.unsubscribers.values()) unsubscribe();
    this.unsubscribers.clear();
  }

  private cleanUp(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    if (this.closed) return;
    this.closed = true;
    this.splitter.stop();
    this.outbox.discard();
    this.stopSubscriptions();
    this.onClosed(this);
  }
}

/** A drill refused by the agent (unknown target, one already running …) is a refusal, not a crash. */
async function refusedOnError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ControlError) throw error;
    throw new ControlError(ErrorCode.Refused, (error as Error).message);
  }
}
