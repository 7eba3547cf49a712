// Paths in the source tree, from the compiled test files (dist/test/unit/config/*.js).
import { fileURLToPath } from 'node:url';

const root = new URL('../../../../', import.meta.url);

export function repoPath(relative: string): string {
  return fileURLToPath(new URL(relative, root));
}
