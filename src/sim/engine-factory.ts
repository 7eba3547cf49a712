// The real engine, bound to the simulator's factory shape.
import { Engine } from '../engine/engine.js';
import type { EngineFactory } from './engine-port.js';

export const realEngine: EngineFactory = (model, self, options) => new Engine(model, self, options);
