// ip: ICMP echo to each target with iputils `ping -c1 -W`, all at once; healthy when any (or, with
// mode all, every) target answers. ping needs no privilege on Linux (ping_group_range or cap_net_raw).
import { execFile } from 'node:child_process';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

interface Answer {
  target: string;
  answered: boolean;
  /** Round-trip time, or why there was no answer. */
  note: string;
}

export function createIpMonitor(monitor: MonitorModel): MonitorDriver {
  const { targets, mode } = monitor.params as { targets: string[]; mode?: 'any' | 'all' };
  // ping's -W is in whole seconds; wait as long as the check may, at least one second.
  const waitSeconds = Math.max(1, Math.floor(monitor.timeoutMs / 1000) - 1);
  return {
    async check(ctx): Promise<CheckResult> {
      const answers = await Promise.all(targets.map((target) => ping(target, waitSeconds, ctx.signal)));
      const good = answers.filter((answer) => answer.answered);
      const ok = (mode ?? 'any') === 'all' ? good.length === answers.length : good.length > 0;
      const detail = answers.map((answer) => `${answer.target} ${answer.note}`).join('; ');
      return { ok, detail };
    },
  };
}

export function ping(target: string, waitSeconds: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve) => {
    // `--` so a target can never be read as an option.
    execFile(
      'ping',
      ['-n', '-c1', '-W', String(waitSeconds), '--', target],
      { signal },
      (error, stdout, stderr) => {
        if (!error) {
          const rtt = /time[=<]([0-9.]+) ?ms/.exec(stdout)?.[1];
          resolve({ target, answered: true, note: rtt ? `answered in ${rtt} ms` : 'answered' });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          resolve({
            target,
            answered: false,
            note: 'not pinged: ping is not installed (install iputils-ping)',
          });
          return;
        }
        if (code === 'ABORT_ERR') {
          resolve({ target, answered: false, note: 'ping stopped: the check ran out of time' });
          return;
        }
        const reason = stderr.trim().split('\n')[0] || `no answer within ${waitSeconds} s`;
        resolve({ target, answered: false, note: `did not answer (${reason})` });
      },
    );
  });
}
