// The error every control call fails with: a JSON-RPC error code (see ErrorCode) and a message meant
// for the operator.
import type { RpcErrorObject } from './messages.js';
import { ErrorCode } from './protocol.js';

export class ControlError extends Error {
  override name = 'ControlError';

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  toObject(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/**
 * The connection to the agent failed, dropped or timed out: raised by the client itself (code
 * Unreachable), unlike an Unreachable error the agent sends about another server.
 */
export class ConnectionError extends ControlError {
  override name = 'ConnectionError';

  constructor(message: string) {
    super(ErrorCode.Unreachable, message);
  }
}

/** vigil's own codes that a backend may throw and the caller should see as they are. */
const passThroughCodes = new Set<number>([
  ErrorCode.Refused,
  ErrorCode.Forbidden,
  ErrorCode.Unreachable,
  ErrorCode.VersionMismatch,
  ErrorCode.InvalidParams,
]);

/** What an error thrown by the backend looks like to the caller: its own code, or InternalError. */
export function toControlError(error: unknown, method: string): ControlError {
  if (error instanceof ControlError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number' && passThroughCodes.has(code)) return new ControlError(code, message);
  return new ControlError(ErrorCode.InternalError, `internal error in ${method}: ${message}`);
}
