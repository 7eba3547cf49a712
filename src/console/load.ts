// Loads the console. Ink renders only the last frame when it thinks it runs in CI (the CI
// variable); the console is only started on a terminal, where a person (or a test driving a real
// terminal) is watching, so those variables are cleared before ink is loaded.
//
// React's development build checks and records every render (several times slower: see
// bench/console); the console runs the production build unless NODE_ENV says otherwise.
export async function loadConsole(): Promise<typeof import('./run.js')> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  return import('./run.js');
}
