// What the psql and mysql monitors share: their keys, reading the password file, running the query
// under the check's AbortSignal, and details that never contain the password.
import { readFileSync } from 'node:fs';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult } from './driver.js';
import { describeNetError, elapsed, hostPort, oneLine } from './net-errors.js';

export interface DatabaseParams {
  host: string;
  port: number;
  database: string | undefined;
  user: string;
  passwordFile: string | undefined;
  query: string;
  expectValue: string | undefined;
}

export function databaseParams(
  monitor: MonitorModel,
  defaults: { port: number; user: string },
): DatabaseParams {
  const p = monitor.params;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    host: text(p.host) ?? '127.0.0.1',
    port: typeof p.port === 'number' ? p.port : defaults.port,
    database: text(p.database),
    user: text(p.user) ?? defaults.user,
    passwordFile: text(p.passwordFile),
    query: text(p.query) ?? 'SELECT 1',
    expectValue: text(p.expectValue),
  };
}

/** The password: the file's first line. Errors name the file, never its contents. */
export function readPassword(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read passwordFile ${path}: ${describeNetError(error)}`, { cause: error });
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The first column of the first row as text: undefined when there is no row, "NULL" for SQL NULL. */
export function firstValue(rows: unknown[][]): string | undefined {
  const row = rows[0];
  if (row === undefined || row.length === 0) return undefined;
  return row[0] === null ? 'NULL' : String(row[0]);
}

/**
 * Runs `run` under `signal`; `cancel` tears the connection down when the signal fires first. The
 * detail names user, server and database, the query and what it returned.
 */
export async function checkDatabase(
  label: string,
  params: DatabaseParams,
  signal: AbortSignal,
  run: (password: string | undefined, onCancel: (cancel: () => void) => void) => Promise<string | undefined>,
): Promise<CheckResult> {
  const where = `${label} ${params.user}@${hostPort(params.host, params.port)}${params.database === undefined ? '' : `/${params.database}`}`;
  const began = performance.now();
  let password: string | undefined;
  try {
    password = readPassword(params.passwordFile);
  } catch (error) {
    return { ok: false, detail: `${where}: ${(error as Error).message}` };
  }
  let cancel: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      cancel?.();
      reject(new Error(`timed out after ${elapsed(began)} ms`));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    const value = await Promise.race([run(password, (c) => (cancel = c)), aborted]);
    const ms = elapsed(began);
    const shown = value === undefined ? 'no row' : `"${oneLine(value, 80)}"`;
    if (params.expectValue !== undefined && value !== params.expectValue)
      return {
        ok: false,
        detail: `${where}: ${oneLine(params.query, 80)} returned ${shown} in ${ms} ms, expected "${oneLine(params.expectValue, 80)}"`,
      };
    return { ok: true, detail: `${where}: ${oneLine(params.query, 80)} returned ${shown} in ${ms} ms` };
  } catch (error) {
    cancel?.();
    return { ok: false, detail: `${where}: ${scrub(describeDbError(error), password)}` };
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

function describeDbError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  // Socket errors have phrases of their own; server errors (bad password, bad SQL) carry their message.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return describeNetError(error);
  return oneLine((error as Error)?.message ?? String(error));
}

/** Belt and braces: no server message may echo the password back into a detail. */
function scrub(text: string, password: string | undefined): string {
  return password === undefined || password === '' ? text : text.split(password).join('***');
}
