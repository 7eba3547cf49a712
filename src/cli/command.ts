// What a `vigil` command is: a name in the registry and a function from arguments to an exit code.

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  /** One line for `vigil help`. */
  summary: string;
  /** The command's own help, printed for `vigil <command> --help`. */
  usage: string;
  run(args: string[], output: Output): Promise<number>;
}

/**
 * Exit codes. Commands that talk to an agent: 0 done (or healthy), 1 refused, failed or degraded,
 * 2 wrong usage or no agent answers.
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, failed: 1, unreachable: 2 } as const;

/** Wrong arguments: the message is printed with the command's usage and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command cannot go on: the message is printed (without usage) and the process exits with `exitCode`. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
