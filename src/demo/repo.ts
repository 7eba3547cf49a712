// The checkout this build runs from: the demo starts its agents and services from it.
import { fileURLToPath } from 'node:url';

/** The repository root, from the compiled file's place in dist/src/demo/. */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}
