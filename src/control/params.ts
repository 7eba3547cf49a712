// Checks the params of each method. A bad param is answered with InvalidParams naming the param and
// what was expected; unknown params are refused too, so a misspelt option never silently does nothing.
import type { OperatorCommand } from '../engine/io.js';
import { ControlError } from './errors.js';
import { isRecord } from './messages.js';
import { ErrorCode, type MethodName, type Methods } from './protocol.js';
import { DRILL_KINDS, isDrillKind, MAX_DRILL_SECONDS, type DrillRequest } from '../drills/types.js';

export const METHOD_NAMES = Object.keys({
  hello: true,
  'status.get': true,
  'status.subscribe': true,
  command: true,
  'alerts.list': true,
  'alerts.ack': true,
  'alerts.subscribe': true,
  'logs.tail': true,
  'logs.collect': true,
  'logs.snapshot': true,
  'config.get': true,
  'monitor.report': true,
  'monitor.dummy-failure': true,
  'drill.start': true,
  'drill.stop': true,
  'drill.get': true,
  'monitors.lateness': true,
} satisfies Record<MethodName, true>) as MethodName[];

export const MAX_TAIL_LINES = 10_000;
const MAX_ACK_IDS = 10_000;
const MAX_NOTE_CHARS = 2_000;

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as string[]).includes(name);
}

type Checker<M extends MethodName> = (params: Record<string, unknown>) => Methods[M]['params'];

const checkers: { [M in MethodName]: Checker<M> } = {
  hello(params) {
    allowOnly(params, ['protocol', 'client'], 'hello');
    const protocol = params.protocol;
    if (typeof protocol !== 'number' || !Number.isInteger(protocol))
      throw invalid('protocol', 'an integer protocol version', protocol);
    const client = optionalString(params, 'client');
    return client === undefined ? { protocol } : { protocol, client };
  },
  'status.get': (params) => noParams(params, 'status.get'),
  'status.subscribe': (params) => noParams(params, 'status.subscribe'),
  'alerts.subscribe': (params) => noParams(params, 'alerts.subscribe'),
  command(params) {
    allowOnly(params, ['command'], 'command');
    return { command: checkOperatorCommand(params.command) };
  },
  'alerts.list'(params) {
    allowOnly(params, ['unacknowledgedOnly'], 'alerts.list');
    const unacknowledgedOnly = optionalBoolean(params, 'unacknowledgedOnly');
    return unacknowledgedOnly === undefined ? {} : { unacknowledgedOnly };
  },
  'alerts.ack'(params) {
    allowOnly(params, ['ids', 'note'], 'alerts.ack');
    const ids = params.ids;
    const note = optionalString(params, 'note', MAX_NOTE_CHARS);
    const checked = ids === 'all' ? 'all' : checkIds(ids);
    return note === undefined ? { ids: checked } : { ids: checked, note };
  },
  'logs.tail'(params) {
    allowOnly(params, ['node', 'lines', 'follow'], 'logs.tail');
    const result: Methods['logs.tail']['params'] = {};
    const node = optionalString(params, 'node');
    if (node !== undefined) result.node = node;
    const lines = params.lines;
    if (lines !== undefined) {
      if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0 || lines > MAX_TAIL_LINES)
        throw invalid('lines', `an integer from 0 to ${MAX_TAIL_LINES}`, lines);
      result.lines = lines;
    }
    const follow = optionalBoolean(params, 'follow');
    if (follow !== undefined) result.follow = follow;
    return result;
  },
  'logs.collect'(params) {
    allowOnly(params, ['node', 'offset'], 'logs.collect');
    const result: Methods['logs.collect']['params'] = {};
    const node = optionalString(params, 'node');
    if (node !== undefined) result.node = node;
    const offset = params.offset;
    if (offset !== undefined) {
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
        throw invalid('offset', 'a byte offset (an integer from 0)', offset);
      result.offset = offset;
    }
    return result;
  },
  'logs.snapshot'(params) {
    allowOnly(params, ['node'], 'logs.snapshot');
    const node = optionalString(params, 'node');
    return node === undefined ? {} : { node };
  },
  'config.get': (params) => noParams(params, 'config.get'),
  'monitors.lateness'(params) {
    allowOnly(params, ['reset'], 'monitors.lateness');
    const reset = optionalBoolean(params, 'reset');
    return reset === undefined ? {} : { reset };
  },
  'monitor.report'(params) {
    allowOnly(params, ['monitor', 'ok', 'text'], 'monitor.report');
    const monitor = params.monitor;
    if (typeof monitor !== 'string' || monitor === '') throw invalid('monitor', 'a monitor name', monitor);
    const ok = params.ok;
    if (typeof ok !== 'boolean') throw invalid('ok', 'true or false', ok);
    const text = optionalString(params, 'text', MAX_NOTE_CHARS);
    return text === undefined ? { monitor, ok } : { monitor, ok, text };
  },
  'monitor.dummy-failure'(params) {
    allowOnly(params, ['monitor', 'on', 'server'], 'monitor.dummy-failure');
    const monitor = params.monitor;
    if (typeof monitor !== 'string' || monitor === '') throw invalid('monitor', 'a monitor name', monitor);
    const on = params.on;
    if (typeof on !== 'boolean') throw invalid('on', 'true or false', on);
    const server = optionalString(params, 'server');
    return server === undefined ? { monitor, on } : { monitor, on, server };
  },
  'drill.start': (params) => checkDrillRequest(params),
  'drill.stop'(params) {
    allowOnly(params, ['id'], 'drill.stop');
    return { id: requiredId(params.id) };
  },
  'drill.get'(params) {
    allowOnly(params, ['id'], 'drill.get');
    return { id: requiredId(params.id) };
  },
};

function requiredId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw invalid('id', 'a drill id', id);
  return id;
}

/** `params` as sent (absent, or anything); returns them checked, or throws InvalidParams. */
export function checkParams<M extends MethodName>(method: M, params: unknown): Methods[M]['params'] {
  if (params === undefined || params === null) params = {};
  if (!isRecord(params))
    throw new ControlError(
      ErrorCode.InvalidParams,
      `params of ${method} must be an object of named params, not ${describe(params)}`,
    );
  return (checkers[method] as Checker<M>)(params);
}

/** The fields each operator command takes; all are non-empty strings. */
const commandFields: Record<OperatorCommand['op'], { required: string[]; optional?: string[] }> = {
  'cluster-start': { required: [] },
  'cluster-stop': { required: [] },
  'cluster-suspend': { required: [] },
  'cluster-resume': { required: [] },
  'group-start': { required: ['group'], optional: ['server'] },
  'group-stop': { required: ['group'] },
  'group-move': { required: ['group', 'to'] },
  'resource-start': { required: ['group', 'resource'] },
  'resource-stop': { required: ['group', 'resource'] },
  'monitor-suspend': { required: ['monitor'] },
  'monitor-resume': { required: ['monitor'] },
  'monitor-reset': { required: ['monitor'] },
};

function checkOperatorCommand(value: unknown): OperatorCommand {
  if (!isRecord(value)) throw invalid('command', 'an object like {"op": "group-stop", ...}', value);
  const op = value.op;
  const ops = Object.keys(commandFields);
  if (typeof op !== 'string' || !ops.includes(op))
    throw invalid('command.op', `one of ${ops.join(', ')}`, op);
  const fields = commandFields[op as OperatorCommand['op']];
  const allowed = ['op', ...fields.required, ...(fields.optional ?? [])];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new ControlError(
        ErrorCode.InvalidParams,
        `unknown param command.${key} for ${op}; it takes ${allowed.join(', ')}`,
      );
  }
  for (const key of [...fields.required, ...(fields.optional ?? [])]) {
    const field = value[key];
    if (field === undefined && !fields.required.includes(key)) continue;
    if (typeof field !== 'string' || field === '')
      throw invalid(`command.${key}`, `a non-empty string (the ${nameOf(key)} name)`, field);
  }
  return value as OperatorCommand;
}

function nameOf(key: string): string {
  return key === 'to' ? 'server' : key;
}

function checkIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_ACK_IDS)
    throw invalid('ids', `"all" or a list of 1 to ${MAX_ACK_IDS} alert ids`, ids);
  ids.forEach((id, index) => {
    if (typeof id !== 'string' || id === '') throw invalid(`ids[${index}]`, 'a non-empty alert id', id);
  });
  return ids as string[];
}

function noParams(params: Record<string, unknown>, method: string): Record<string, never> {
  allowOnly(params, [], method);
  return {};
}

function allowOnly(params: Record<string, unknown>, allowed: string[], method: string): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key))
      throw new ControlError(
        ErrorCode.InvalidParams,
        `unknown param "${key}" for ${method}; ${allowed.length === 0 ? 'it takes none' : `it takes ${allowed.join(', ')}`}`,
      );
  }
}

function optionalString(params: Record<string, unknown>, key: string, maxChars = 1000): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxChars)
    throw invalid(key, `a string of at most ${maxChars} characters`, value);
  return value;
}

function optionalBoolean(params: Record<string, unknown>, key: string): boolean | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(key, 'true or false', value);
  return value;
}

function invalid(param: string, expected: string, got: unknown): ControlError {
  return new ControlError(
    ErrorCode.InvalidParams,
    `param ${param}: expected ${expected}, got ${describe(got)}`,
    {
      param,
    },
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkDrillRequest(params: Record<string, unknown>): DrillRequest {
  allowOnly(params, ['kind', 'target', 'durationSeconds', 'url', 'signal'], 'drill.start');
  const { kind, target, durationSeconds, signal } = params;
  if (typeof kind !== 'string' || !isDrillKind(kind))
    throw invalid('kind', `one of ${DRILL_KINDS.join(', ')}`, kind);
  if (typeof target !== 'string' || target === '')
    throw invalid('target', 'a monitor, server or resource name', target);
  if (
    typeof durationSeconds !== 'number' ||
    !Number.isInteger(durationSeconds) ||
    durationSeconds < 1 ||
    durationSeconds > MAX_DRILL_SECONDS
  )
    throw invalid('durationSeconds', `whole seconds from 1 to ${MAX_DRILL_SECONDS}`, durationSeconds);
  const request: DrillRequest = { kind, target, durationSeconds };
  const url = optionalString(params, 'url');
  if (url !== undefined) {
    if (!/^https?:\/\//.test(url)) throw invalid('url', 'an http:// or https:// URL', url);
    request.url = url;
  }
  if (signal !== undefined) {
    if (signal !== 'SIGKILL' && signal !== 'SIGSTOP') throw invalid('signal', 'SIGKILL or SIGSTOP', signal);
    request.signal = signal;
  }
  return request;
}
