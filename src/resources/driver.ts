// What every resource driver offers the agent. One driver instance per type serves every resource
// of that type on this server; the context says which resource and why.
import type { Logger } from '../agent/logger.js';
import type { ResourceEvent } from '../engine/io.js';
import type { ResourceModel } from '../engine/model.js';
import type { ProcessTable } from './process-table.js';

export interface ResourceContext {
  cluster: string;
  server: string;
  group: string;
  resource: ResourceModel;
  /** Why the action happens (exec passes it to scripts as VIGIL_EVENT). */
  event: ResourceEvent;
  /** The start or stop timeout from the engine's output. */
  timeoutMs: number;
  /** The agent's state directory: pid files and process output live under it. */
  stateDir: string;
  logger: Logger;
}

export interface ActionResult {
  ok: boolean;
  /** One line for the operator: what happened, or why it failed. */
  detail: string;
}

export type ProbeResult = 'online' | 'offline' | 'unknown';

export interface ResourceDriver {
  /** Brings the resource online here. Never throws: failures come back as `ok: false`. */
  start(ctx: ResourceContext): Promise<ActionResult>;
  /** Takes it offline. Idempotent: stopping something that is not running succeeds. Never throws. */
  stop(ctx: ResourceContext): Promise<ActionResult>;
  /** Whether it is active here now, as far as the driver can tell (used after an agent restart). */
  probe(ctx: ResourceContext): Promise<ProbeResult>;
  /** Fencing: SIGKILL everything the resource started, at once, including actions in flight. */
  kill(ctx: ResourceContext): Promise<void>;
}

/** What drivers share with the rest of the agent. */
export interface ResourceDriverDeps {
  /** Long-running processes, for monitors to watch. */
  processes: ProcessTable;
}

export type ResourceDriverFactory = (deps: ResourceDriverDeps) => ResourceDriver;
