// False failovers under CPU starvation: the lab cluster runs untouched while stress-ng keeps every
// CPU busy for MINUTES; nothing fails, so every server declared down, every fence, every stall and
// every move of web seen by the client is a false failover (or on the way to one).
import { spawn } from 'node:child_process';
import { CLIENT, LabCluster, waitFor } from '../../test/lab/lab.js';
import { ClientPoller } from '../../test/lab/observers.js';

export interface StressOutcome {
  serversDeclaredDown: number;
  fences: number;
  stalls: number;
  /** Changes of the server answering for web, as the client saw them. */
  moves: number;
  /** The longest time the client went without an answer, ms. */
  longestGapMs: number;
  requests: number;
}

export async function stressRun(
  timing: Record<string, string>,
  minutes: number,
  fipParams: Record<string, unknown> = {},
): Promise<StressOutcome> {
  const lab = new LabCluster({ servers: ['s1', 's2', 's3'], timing, fipParams });
  const stressMs = minutes * 60_000;
  const poller = new ClientPoller(lab.net, CLIENT, lab.webUrl, 50, stressMs + 300_000);
  try {
    lab.start();
    const active = await lab.healthy(120_000);
    await waitFor(`the client reaching ${active}`, () => poller.answeredBy(active), 30_000);
    const since = Date.now();
    await runStressNg(stressMs);
    const after = (name: string, event: string) =>
      lab.logEvents(name, event).filter((e) => Date.parse(String(e.at)) >= since);
    const servers = ['s1', 's2', 's3'];
    const count = (event: string, kind?: string) =>
      servers.reduce(
        (sum, name) =>
          sum + after(name, event).filter((e) => kind === undefined || fieldsOf(e).kind === kind).length,
        0,
      );
    return {
      serversDeclaredDown: count('alert', 'server-down'),
      fences: count('fence'),
      stalls: count('agent-stalled'),
      moves: poller.sequence(since).length - 1,
      longestGapMs: poller.longestGap(since),
      requests: poller.answers.filter((a) => a.at >= since).length,
    };
  } finally {
    await poller.stop();
    await lab.destroy();
  }
}

function fieldsOf(record: Record<string, unknown>): Record<string, unknown> {
  return (record.fields ?? {}) as Record<string, unknown>;
}

/** stress-ng on every online CPU for `ms`; rejects when it cannot run or does not end in time. */
function runStressNg(ms: number): Promise<void> {
  const child = spawn('stress-ng', ['--cpu', '0', '--timeout', `${Math.round(ms / 1000)}s`, '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // If the bench is stopped (Ctrl-C, SIGTERM), stress-ng must not keep the CPUs busy after it.
  const stopStress = () => child.kill('SIGKILL');
  process.once('exit', stopStress);
  child.once('exit', () => process.off('exit', stopStress));
  return new Promise((resolve, reject) => {
    const overdue = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('stress-ng did not end in time'));
    }, ms + 60_000);
    child.once('error', (error) => {
      clearTimeout(overdue);
      reject(new Error(`cannot run stress-ng (apt-get install stress-ng): ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(overdue);
      if (code === 0) resolve();
      else reject(new Error(`stress-ng ended with ${signal ?? `code ${code}`}`));
    });
  });
}
