// The slice of the engine the simulator drives. The real binding lives in engine-factory.ts; tests of
// the simulator's own machinery can pass a stand-in with the same shape.
import type { ClusterModel } from '../engine/model.js';
import type { EngineInput, EngineOutput, EngineView, PersistedState } from '../engine/io.js';

export interface UnsafeOptions {
  skipMoveHandshake?: boolean;
  skipTakeoverDelay?: boolean;
}

export interface EngineStartOptions {
  now: number;
  incarnation: number;
  persisted?: PersistedState;
  unsafe?: UnsafeOptions;
}

export interface EngineLike {
  step(input: EngineInput): EngineOutput[];
  view(): EngineView;
}

export type EngineFactory = (model: ClusterModel, self: string, options: EngineStartOptions) => EngineLike;
