// The config layer's public API: load and check a cluster config, and the types other layers use.
export {
  loadConfigFile,
  loadConfigText,
  type LoadFailure,
  type LoadResult,
  type LoadSuccess,
} from './load.js';
export { formatProblem, type Problem, type Severity } from './problem.js';
export { failoverBudget, failoverBudgets, type FailoverBudget } from './budget.js';
export { configJsonSchema } from './json-schema.js';
export { formatDuration, parseDuration } from './durations.js';
export { toModel } from './to-model.js';
export type {
  AlertConfig,
  GroupConfig,
  MonitorConfig,
  OperatorConfig,
  ResourceConfig,
  ServerConfig,
  VigilConfig,
  VigilConfigInput,
} from './schema.js';
