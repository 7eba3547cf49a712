// systemd: a unit started and stopped with systemctl; the agent waits until `systemctl is-active`
// says active (or inactive) and, on failure, reports why systemd says it failed. See docs/resources.md.
import type { ResourceDriver } from './driver.js';
import { describeToolFailure } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface SystemdParams {
  unit: string;
}

/** States in which the unit is on its way somewhere: keep polling. */
const MOVING = new Set(['activating', 'deactivating', 'reloading', 'refreshing']);

export function createSystemdDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<SystemdParams>(
    {
      readParams: (params) => ({ unit: new ParamReader('systemd', params).string('unit') }),

      async start(s, { unit }) {
        if ((await isActive(s, unit)) === 'active') return { ok: true, detail: `${unit} was already active` };
        const started = await s.run(['systemctl', 'start', unit]);
        if (!started.ok)
          return failed(
            `systemctl could not start ${unit}: ${describeToolFailure(started)}${started.aborted ? '' : await why(s, unit)}`,
          );
        const state = await s.poll(async () => {
          const now = await isActive(s, unit);
          return MOVING.has(now) || now === '' ? undefined : now;
        });
        if (state === 'active') return { ok: true, detail: `${unit} is active` };
        if (state === undefined)
          return failed(`${unit} did not become active within ${s.ctx.timeoutMs} ms${await why(s, unit)}`);
        const hint = state === 'inactive' ? ' (a oneshot unit needs RemainAfterExit=yes to stay active)' : '';
        return failed(`${unit} is ${state} after its start${hint}${await why(s, unit)}`);
      },

      async stop(s, { unit }) {
        const stopped = await s.run(['systemctl', 'stop', unit]);
        // "Unit x.service not loaded." (exit 5): nothing of it can be running.
        if (!stopped.ok && stopped.code === 5 && /not loaded|not found/i.test(stopped.stderr))
          return { ok: true, detail: `${unit} is not loaded: nothing to stop` };
        if (!stopped.ok)
          return failed(
            `systemctl could not stop ${unit}: ${describeToolFailure(stopped)}${await why(s, unit)}`,
          );
        const state = await s.poll(async () => {
          const now = await isActive(s, unit);
          return now === 'inactive' || now === 'failed' ? now : undefined;
        });
        if (state === undefined)
          return failed(`${unit} was still not inactive after ${s.ctx.timeoutMs} ms${await why(s, unit)}`);
        return { ok: true, detail: `${unit} is ${state}` };
      },

      async probe(s, { unit }) {
        const state = await isActive(s, unit);
        if (state === 'active') return 'online';
        if (state === 'inactive' || state === 'failed') return 'offline';
        return 'unknown';
      },

      async kill(s, { unit }) {
        await s.run(['systemctl', 'kill', '--signal=SIGKILL', unit]);
      },
    },
    options,
  );
}

/** `systemctl is-active` prints the state (and exits 3 unless active); '' when it could not tell. */
async function isActive(s: ToolSession, unit: string): Promise<string> {
  const result = await s.run(['systemctl', 'is-active', unit]);
  return result.timedOut || result.aborted ? '' : (result.stdout.trim().split('\n')[0]?.trim() ?? '');
}

/** What systemd says about the unit, and its last journal lines, for the operator. */
async function why(s: ToolSession, unit: string): Promise<string> {
  const show = await s.diagnose([
    'systemctl',
    'show',
    '-p',
    'Result,ActiveState,SubState,ExecMainStatus',
    unit,
  ]);
  const journal = await s.diagnose(['journalctl', '-u', unit, '-n', '10', '--no-pager']);
  const state = show.ok
    ? show.stdout.trim().split('\n').join(', ')
    : `unknown (${describeToolFailure(show)})`;
  const lines = journal.ok ? journal.stdout.trim().split('\n').slice(-10).join(' | ') : '';
  return `. Unit state: ${state}.${lines === '' ? '' : ` Last journal lines: ${lines}.`} Check \`systemctl status ${unit}\``;
}
