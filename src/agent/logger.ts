// Structured logging: one JSON object per line to the log file, a readable line on stderr when a
// person is watching. Every layer takes a Logger so tests can collect what was logged.
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  at: string;
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** Logs the first occurrence of `kind` only (bad input must not flood the log), counting the rest. */
  once(kind: string, level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function readableLine(record: LogRecord): string {
  const fields = Object.entries(record.fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${record.at.slice(11, 23)} ${record.level.toUpperCase().padEnd(5)} ${record.event}${fields ? ` ${fields}` : ''}`;
}

export interface LoggerOptions {
  /** JSON lines go here (appended); none: no file. */
  file?: string;
  /** Readable lines go to stderr at or above this level; none: nothing on stderr. */
  stderrLevel?: LogLevel;
  /** Records below this level are dropped entirely. */
  level?: LogLevel;
  /** Every record also goes here (the agent keeps a ring buffer for `logs tail`). */
  sink?: (record: LogRecord) => void;
  /** Added to every record (e.g. the server name). */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const seen = new Set<string>();
  const minimum = order[options.level ?? 'info'];
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    if (order[level] < minimum) return;
    const record: LogRecord = {
      at: new Date().toISOString(),
      level,
      event,
      fields: { ...options.base, ...fields },
    };
    if (options.file) appendFileSync(options.file, `${JSON.stringify(record)}\n`);
    if (options.stderrLevel && order[level] >= order[options.stderrLevel])
      process.stderr.write(`${readableLine(record)}\n`);
    options.sink?.(record);
  };
  return {
    log,
    debug: (e, f) => log('debug', e, f),
    info: (e, f) => log('info', e, f),
    warn: (e, f) => log('warn', e, f),
    error: (e, f) => log('error', e, f),
    once(kind, level, event, fields) {
      if (seen.has(kind)) return;
      seen.add(kind);
      log(level, event, { ...fields, note: 'logged once; later occurrences are only counted' });
    },
  };
}

/** A logger that keeps records in memory, for tests. */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(createLogger({ level: 'debug', sink: (r) => records.push(r) }), { records });
}
