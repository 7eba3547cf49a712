// The console's own config, ~/.config/vigil/console.yaml: clusters and their nodes. For now a node is
// a local control socket; SSH nodes come with src/remote.
//
//   clusters:
//     prod:
//       nodes:
//         - { name: s1, socket: /run/vigil/vigild.sock }
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ConsoleConfig {
  file: string;
  clusters: Map<string, { name: string; socket?: string; host?: string }[]>;
}

export function consoleConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vigil', 'console.yaml');
}

/** The config, or undefined when there is none; throws an Error naming the file and the entry. */
export function readConsoleConfig(file = consoleConfigPath()): ConsoleConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const document = parse(text) as unknown;
  const clusters = new Map<string, { name: string; socket?: string; host?: string }[]>();
  const raw = (document as { clusters?: unknown } | null)?.clusters;
  if (typeof raw !== 'object' || raw === null)
    throw new Error(`${file}: "clusters" is missing or not a mapping`);
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const nodes = (value as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes)) throw new Error(`${file}: clusters.${name}.nodes is missing or not a list`);
    clusters.set(
      name,
      nodes.map((node, index) => {
        const entry = node as { name?: unknown; socket?: unknown; host?: unknown };
        if (typeof entry?.name !== 'string')
          throw new Error(`${file}: clusters.${name}.nodes[${index}].name is missing`);
        if (typeof entry.socket !== 'string' && typeof entry.host !== 'string')
          throw new Error(
            `${file}: clusters.${name}.nodes[${index}] needs socket: PATH (or host:, with SSH)`,
          );
        return {
          name: entry.name,
          ...(typeof entry.socket === 'string' ? { socket: entry.socket } : {}),
          ...(typeof entry.host === 'string' ? { host: entry.host } : {}),
        };
      }),
    );
  }
  return { file, clusters };
}
