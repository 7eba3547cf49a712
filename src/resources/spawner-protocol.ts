// The lines between the agent and its script spawner (script-spawner.ts, spawner-process.ts): one
// JSON object per line on the spawner's stdin (requests) and stdout (answers).
import type { ProcessExit } from './process-group.js';

/** Start `command` with `/bin/sh -c` in a new session, with `env` added to the spawner's environment. */
export interface RunRequest {
  id: number;
  command: string;
  env?: Record<string, string>;
}

export type SpawnerAnswer =
  /** The group runs: pid = pgid. */
  | { id: number; pid: number }
  /** It could not be started. */
  | { id: number; error: string }
  /** The leader exited and its output was read: the last lines of stdout and stderr. */
  | { id: number; exit: ProcessExit; lines: string[] };
