// Collection to a file, as both `vigil logs collect` and the console's :collect do it.
import { join } from 'node:path';
import type { ControlClient } from '../control/client.js';
import { collectLogs, type Collection, type NodeProgress } from './collect.js';
import { tarGz } from './tar.js';
import { writeBundle } from './write-bundle.js';

export interface CollectToFileOptions {
  tool: string;
  onProgress?: (progress: NodeProgress) => void;
  /** The file; default the bundle's own name (vigil-logs-CLUSTER-YYYYMMDD-HHMMSS.tar.gz) in `dir`. */
  out?: string;
  /** Where the default name goes (default: the current directory). */
  dir?: string;
  force?: boolean;
}

export interface CollectedFile {
  /** The absolute path written. */
  path: string;
  collection: Collection;
}

/** Collects through `client` and writes the bundle (mode 0600); throws BundleExists, or why it cannot write. */
export async function collectToFile(
  client: ControlClient,
  options: CollectToFileOptions,
): Promise<CollectedFile> {
  const collection = await collectLogs(client, {
    tool: options.tool,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const out = options.out ?? join(options.dir ?? process.cwd(), `${collection.name}.tar.gz`);
  return { path: writeBundle(out, tarGz(collection.entries), options.force === true), collection };
}
