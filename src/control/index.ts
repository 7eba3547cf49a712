// The control layer's public API: the server the agent runs, the client every tool uses, the paths.
export * from './protocol.js';
export { ControlServer, answers, type ControlServerOptions } from './server.js';
export { ControlClient, connectUnix, DEFAULT_CALL_TIMEOUT_MS, type ClientEvents } from './client.js';
export { ConnectionError, ControlError } from './errors.js';
export { defaultSocketPath, defaultStateDir, demoDir } from './paths.js';
