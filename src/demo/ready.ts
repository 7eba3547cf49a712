// Waits, with a deadline, until one agent's status shows the whole demo cluster up and running.
import { connectUnix, type ControlClient } from '../control/client.js';
import { PROTOCOL_VERSION, type StatusSnapshot } from '../control/protocol.js';
import { notReady } from './events.js';

export interface ReadyOptions {
  socket: string;
  servers: string[];
  groups: string[];
  deadlineMs: number;
  /** Aborting ends the wait at once (the demo is being stopped, or an agent died). */
  signal?: AbortSignal;
}

export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/** Resolves with the first snapshot that shows every server up and every group online. */
export async function waitUntilReady(options: ReadyOptions): Promise<StatusSnapshot> {
  const deadline = Date.now() + options.deadlineMs;
  let lastReasons = [`no agent answers on ${options.socket} yet`];
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    let client: ControlClient;
    try {
      client = await connectUnix(options.socket, Math.max(1, deadline - Date.now()));
      await client.call('hello', { protocol: PROTOCOL_VERSION, client: 'vigil-demo' });
    } catch {
      await pause(100, options.signal); // the agent is still starting
      continue;
    }
    try {
      return await watchUntilReady(client, options, deadline, (reasons) => (lastReasons = reasons));
    } catch (error) {
      if (error instanceof NotReadyError || options.signal?.aborted) throw error;
      // The connection dropped: try again while there is time.
    } finally {
      client.close();
    }
  }
  throw new NotReadyError(`not ready after ${options.deadlineMs / 1000}s: ${lastReasons.join('; ')}`);
}

function watchUntilReady(
  client: ControlClient,
  options: ReadyOptions,
  deadline: number,
  report: (reasons: string[]) => void,
): Promise<StatusSnapshot> {
  return new Promise((resolve, reject) => {
    let last: string[] = [];
    const cleanUp: (() => void)[] = [];
    const finish = (settle: () => void) => {
      for (const undo of cleanUp) undo();
      settle();
    };
    const check = (status: StatusSnapshot) => {
      last = notReady(status, options.servers, options.groups);
      report(last);
      if (last.length === 0) finish(() => resolve(status));
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new NotReadyError(`not ready after ${options.deadlineMs / 1000}s: ${last.join('; ')}`)),
        ),
      Math.max(0, deadline - Date.now()),
    );
    cleanUp.push(() => clearTimeout(timer));
    const onAbort = () => finish(() => reject(options.signal?.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    cleanUp.push(() => options.signal?.removeEventListener('abort', onAbort));
    cleanUp.push(client.on('status', check));
    cleanUp.push(client.on('close', (reason) => finish(() => reject(reason ?? new Error('closed')))));
    client.call('status.subscribe', {}).then(check, (error: unknown) => finish(() => reject(error)));
  });
}

/** Waits `ms`, or less if `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
