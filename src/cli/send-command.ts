// Sends one operator command and reports the engine's answer; `--wait` then follows the status until
// the outcome shows or the deadline passes.
import type { ControlClient } from '../control/client.js';
import { ControlError } from '../control/errors.js';
import { ErrorCode, type StatusSnapshot } from '../control/protocol.js';
import type { OperatorCommand } from '../engine/io.js';
import { CommandFailure, EXIT, type Output } from './command.js';
import { groupOutcome, type GroupCommand } from './wait-outcome.js';

/** Exit 0 accepted (the engine's message on stdout), 1 refused (the engine's reason on stderr). */
export async function sendCommand(
  client: ControlClient,
  command: OperatorCommand,
  output: Output,
): Promise<number> {
  try {
    const { message } = await client.call('command', { command });
    output.out(message);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ControlError && error.code === ErrorCode.Refused) {
      output.err(`refused: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

/** Sends a group command and, if `waitSeconds` is set, waits for its outcome in the status. */
export async function sendGroupCommand(
  client: ControlClient,
  command: GroupCommand,
  waitSeconds: number | undefined,
  output: Output,
): Promise<number> {
  if (waitSeconds === undefined) return sendCommand(client, command, output);
  // Subscribe first, so no change between the command and the wait can be missed.
  let latest: StatusSnapshot = await client.call('status.subscribe', {});
  const failedAlready = latest.groups.find((group) => group.name === command.group)?.state === 'failed';
  const changed = new Set<() => void>();
  const stopListening = client.on('status', (snapshot) => {
    latest = snapshot;
    for (const wake of [...changed]) wake();
  });
  try {
    const code = await sendCommand(client, command, output);
    if (code !== EXIT.ok) return code;
    latest = await client.call('status.get', {});
    return await waitForOutcome(client, command, () => latest, changed, failedAlready, waitSeconds, output);
  } finally {
    stopListening();
  }
}

function waitForOutcome(
  client: ControlClient,
  command: GroupCommand,
  latest: () => StatusSnapshot,
  changed: Set<() => void>,
  failedAlready: boolean,
  waitSeconds: number,
  output: Output,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let lastMessage = '';
    let sawOtherState = false;
    const finish = (result: () => void) => {
      clearTimeout(deadline);
      changed.delete(check);
      stopClose();
      result();
    };
    const check = () => {
      const snapshot = latest();
      const group = snapshot.groups.find((candidate) => candidate.name === command.group);
      if (group && group.state !== 'failed') sawOtherState = true;
      const outcome = groupOutcome(command, snapshot, failedAlready && !sawOtherState);
      if (outcome.message !== lastMessage && !outcome.done) output.out(`  ${outcome.message}`);
      lastMessage = outcome.message;
      if (!outcome.done) return;
      finish(() => {
        if (outcome.ok) output.out(outcome.message);
        else output.err(outcome.message);
        resolve(outcome.ok ? EXIT.ok : EXIT.failed);
      });
    };
    const deadline = setTimeout(
      () =>
        finish(() => {
          output.err(`still waiting after ${waitSeconds}s: ${lastMessage}; see vigil status`);
          resolve(EXIT.failed);
        }),
      waitSeconds * 1000,
    );
    const stopClose = client.on('close', (reason) =>
      finish(() =>
        reject(
          new CommandFailure(
            `lost the agent while waiting: ${reason?.message ?? 'connection closed'}`,
            EXIT.unreachable,
          ),
        ),
      ),
    );
    changed.add(check);
    check();
  });
}
