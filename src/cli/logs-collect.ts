// `vigil logs collect`: one .tar.gz with every server's whole log, status snapshot, the config without
// secrets and the merged alert timeline (src/collect). Progress per server on stderr; the path
// written on stdout.
import { byteSize } from '../collect/byte-size.js';
import type { NodeProgress } from '../collect/collect.js';
import { collectToFile, type CollectedFile } from '../collect/to-file.js';
import { BundleExists, WriteError } from '../collect/write-bundle.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { CommandFailure, EXIT, UsageError, type Output } from './command.js';

export const collectUsage = `usage: vigil logs collect [--out FILE] [--force] [--socket PATH | --demo | --node HOST]

  Writes one .tar.gz with, for every server of the cluster, its whole log and a status snapshot, plus
  the cluster config without secrets, the alerts of all servers merged into one timeline and a
  manifest (see docs/cli.md). Other servers are reached through the agent's peer channel; a server
  that cannot be reached is listed in the manifest and the others are still collected.
  Needs role operator or admin over SSH.

  --out FILE      where to write it (default: ./vigil-logs-CLUSTER-YYYYMMDD-HHMMSS.tar.gz, UTC time);
                  written with mode 0600
  --force         replace FILE if it exists
${agentOptionsUsage}

exit codes: 0 written, at least one server collected; 1 written but no server could be collected
completely, the agent refused (role) or FILE cannot be written; 2 wrong usage, FILE exists (without
--force) or no agent answers`;

const collectOptions = { ...agentOptions, out: { type: 'string' }, force: { type: 'boolean' } } as const;

export async function collect(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, collectOptions);
  if (values.help) {
    output.out(collectUsage);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.out === '') throw new UsageError('--out takes a file name');
  const force = values.force === true;
  // Refuse before collecting, not after minutes of it (writeBundle checks again at the end).
  if (values.out !== undefined && !force && existsSync(values.out))
    throw new CommandFailure(
      `${resolve(values.out)} exists; give another --out FILE, or --force to replace it`,
      EXIT.usage,
    );
  return withAgent(values, async ({ client }) => {
    const report = progressReporter(output);
    let written: CollectedFile;
    try {
      written = await collectToFile(client, {
        tool: 'vigil logs collect',
        onProgress: report.update,
        force,
        ...(values.out !== undefined ? { out: values.out } : {}),
      });
    } catch (error) {
      if (error instanceof BundleExists) throw new CommandFailure(error.message, EXIT.usage);
      if (error instanceof WriteError) throw new CommandFailure(error.message, EXIT.failed);
      throw error;
    } finally {
      report.finish();
    }
    const { collection, path } = written;
    const { nodes, failed } = collection.manifest;
    output.err(
      `collected ${collection.collected} of ${nodes.length} servers${failed.length ? ` (failed: ${failed.map((node) => node.name).join(', ')}; see manifest.json)` : ''}`,
    );
    output.out(path);
    if (collection.collected === 0) {
      output.err('no server could be collected completely; the manifest in the bundle says why');
      return EXIT.failed;
    }
    return EXIT.ok;
  });
}

/** One line per server as it finishes; on a terminal also a live line with every server's progress. */
function progressReporter(output: Output) {
  const live = process.stderr.isTTY === true;
  const state = new Map<string, NodeProgress>();
  const liveLine = () =>
    [...state.values()]
      .map((p) => `${p.node} ${p.phase === 'log' ? `${percent(p.bytes, p.total)}` : p.phase}`)
      .join('  ');
  const clear = () => live && process.stderr.write('\r\x1b[K');
  return {
    update(progress: NodeProgress) {
      state.set(progress.node, progress);
      if (progress.phase === 'done' || progress.phase === 'failed') {
        clear();
        output.err(
          progress.phase === 'done'
            ? `${progress.node}: collected (${byteSize(progress.bytes)} of log)`
            : `${progress.node}: failed: ${progress.error}`,
        );
      }
      if (live) process.stderr.write(`\r\x1b[K${liveLine()}`);
    },
    finish() {
      clear();
    },
  };
}

function percent(bytes: number, total: number): string {
  return total > 0 ? `${Math.floor((bytes / total) * 100)}%` : '0%';
}
