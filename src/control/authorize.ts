// Operator roles: which control calls each role may make. viewer reads; operator also runs group,
// resource and monitor operations, acknowledges alerts and collects logs (whole logs and the config
// reveal more than a viewer needs); admin may do everything, including the
// cluster-wide operations. Unix-socket connections are not checked (file permissions decide).
import { isRecord } from './messages.js';

export type Role = 'viewer' | 'operator' | 'admin';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Methods that only read; every role may call them. */
const READ_ONLY = new Set([
  'hello',
  'status.get',
  'status.subscribe',
  'alerts.list',
  'alerts.subscribe',
  'logs.tail',
  'drill.get',
]);

/** Log collection (vigil logs collect): whole logs, snapshots and the redacted config. */
const COLLECT = new Set(['logs.collect', 'logs.snapshot', 'config.get']);

/** What each operator command does, as a refusal names it, and the role it needs. */
const COMMANDS: Record<string, { what: string; needs: Role }> = {
  'cluster-start': { what: 'start the cluster', needs: 'admin' },
  'cluster-stop': { what: 'stop the cluster', needs: 'admin' },
  'cluster-suspend': { what: 'suspend the cluster', needs: 'admin' },
  'cluster-resume': { what: 'resume the cluster', needs: 'admin' },
  'group-start': { what: 'start groups', needs: 'operator' },
  'group-stop': { what: 'stop groups', needs: 'operator' },
  'group-move': { what: 'move groups', needs: 'operator' },
  'resource-start': { what: 'start resources', needs: 'operator' },
  'resource-stop': { what: 'stop resources', needs: 'operator' },
  'monitor-suspend': { what: 'suspend monitors', needs: 'operator' },
  'monitor-resume': { what: 'resume monitors', needs: 'operator' },
  'monitor-reset': { what: 'reset monitors', needs: 'operator' },
};

/** The least role a call needs, and how a refusal describes it. Anything unknown needs admin. */
export function requirement(method: string, params: unknown): { what: string; needs: Role } {
  if (READ_ONLY.has(method)) return { what: `call ${method}`, needs: 'viewer' };
  if (method === 'alerts.ack') return { what: 'acknowledge alerts', needs: 'operator' };
  if (COLLECT.has(method)) return { what: 'collect logs', needs: 'operator' };
  if (method === 'monitor.report') return { what: 'report monitor results', needs: 'operator' };
  if (method === 'monitor.dummy-failure') return { what: 'switch dummy failures', needs: 'operator' };
  if (method === 'drill.start' || method === 'drill.stop') return { what: 'run drills', needs: 'operator' };
  // Reading is harmless; a reset would hide figures another operator is collecting.
  if (method === 'monitors.lateness')
    return isRecord(params) && params.reset === true
      ? { what: 'reset monitor lateness figures', needs: 'operator' }
      : { what: `call ${method}`, needs: 'viewer' };
  if (method === 'command') {
    const command = isRecord(params) ? params.command : undefined;
    const op = isRecord(command) && typeof command.op === 'string' ? command.op : undefined;
    const known = op !== undefined && Object.hasOwn(COMMANDS, op) ? COMMANDS[op] : undefined;
    if (known) return known;
    return { what: `run command ${op ?? '(none)'}`, needs: 'admin' };
  }
  return { what: `call ${method}`, needs: 'admin' };
}

/**
 * null when `role` may make the call, else the refusal, e.g. "operator bob (viewer) may not move
 * groups: needs role operator" (or "role viewer may not …" without an operator name).
 */
export function authorize(role: Role, method: string, params: unknown, operator?: string): string | null {
  const { what, needs } = requirement(method, params);
  if (RANK[role] >= RANK[needs]) return null;
  const who = operator === undefined ? `role ${role}` : `operator ${operator} (${role})`;
  return `${who} may not ${what}: needs role ${needs}`;
}
