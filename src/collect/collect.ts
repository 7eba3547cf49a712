// Log collection (vigil logs collect, the console's :collect): through one agent, every server's
// whole log and status/alerts snapshot, the config without secrets and a merged alert timeline,
// packed as one folder for a .tar.gz. A server that cannot be reached is recorded in the manifest
// and the others are still collected.
import { hostname } from 'node:os';
import type { ControlClient } from '../control/client.js';
import type { LogChunk, NodeSnapshot, RedactedConfig } from '../control/protocol.js';
import type { TarEntry } from './tar.js';
import { mergeAlerts, timelineJsonLines } from './timeline.js';

/** At most this much of one server's log (its end); older bytes are left out and the manifest says so. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
const CALL_TIMEOUT_MS = 15_000;

export type NodeProgress =
  | { node: string; phase: 'waiting' }
  | { node: string; phase: 'log'; bytes: number; total: number }
  | { node: string; phase: 'done'; bytes: number }
  | { node: string; phase: 'failed'; error: string };

export interface CollectOptions {
  /** Who collects, for the manifest (e.g. "vigil logs collect"). */
  tool: string;
  onProgress?: (progress: NodeProgress) => void;
  maxLogBytes?: number;
  now?: () => Date;
}

export interface NodeResult {
  name: string;
  ok: boolean;
  /** What went wrong for this server (both the snapshot and the log are tried). */
  errors: string[];
  log: { source: LogChunk['source']; bytes: number; leftOutBytes: number } | null;
  status: boolean;
  /** Its oldest alerts not in the timeline (too many for one message). */
  alertsLeftOut: number;
}

export interface Manifest {
  format: 'vigil-logs/1';
  cluster: string;
  collectedAt: string;
  tool: string;
  /** The host the collection ran on, and the server whose agent it went through. */
  host: string;
  through: string;
  nodes: NodeResult[];
  failed: { name: string; reason: string }[];
  config: { ok: true; redacted: string[] } | { ok: false; error: string };
  alerts: number;
  files: string[];
}

export interface Collection {
  /** The bundle's folder name, also the file name without .tar.gz: vigil-logs-CLUSTER-YYYYMMDD-HHMMSS. */
  name: string;
  entries: TarEntry[];
  manifest: Manifest;
  /** Servers collected completely. */
  collected: number;
}

/** The bundle's base name for a cluster at a time (UTC). */
export function bundleName(cluster: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `vigil-logs-${safeName(cluster)}-${stamp}`;
}

/** Collects through `client`; rejects only when the agent it talks to cannot say which servers there are. */
export async function collectLogs(client: ControlClient, options: CollectOptions): Promise<Collection> {
  const now = options.now ?? (() => new Date());
  const progress = options.onProgress ?? (() => undefined);
  const first = await client.call('logs.snapshot', {}, CALL_TIMEOUT_MS);
  const servers = first.status.servers.map((server) => server.name);
  const at = now();
  const name = bundleName(first.status.cluster.name, at);
  for (const server of servers) progress({ node: server, phase: 'waiting' });

  const configPromise = client.call('config.get', {}, CALL_TIMEOUT_MS).then(
    (config): { ok: true; config: RedactedConfig } => ({ ok: true, config }),
    (error: unknown) => ({ ok: false as const, error: messageOf(error) }),
  );
  const nodes = await Promise.all(
    servers.map((server) =>
      collectNode(client, server, server === first.server ? first : undefined, options, progress),
    ),
  );
  const config = await configPromise;

  const entries: TarEntry[] = [{ path: `${name}/`, directory: true, mtime: at }];
  const file = (path: string, data: string | Buffer) =>
    entries.push({ path: `${name}/${path}`, data, mtime: at });
  if (config.ok) file('cluster-config.yaml', config.config.yaml);
  const timeline = mergeAlerts(
    nodes.flatMap((node) => (node.snapshot ? [{ server: node.name, alerts: node.snapshot.alerts }] : [])),
  );
  file('alerts-timeline.jsonl', timelineJsonLines(timeline));
  entries.push({ path: `${name}/nodes/`, directory: true, mtime: at });
  for (const node of nodes) {
    const dir = `nodes/${safeName(node.name)}`;
    entries.push({ path: `${name}/${dir}/`, directory: true, mtime: at });
    if (node.snapshot) file(`${dir}/status.json`, `${JSON.stringify(node.snapshot.status, null, 2)}\n`);
    if (node.log) file(`${dir}/vigild.log`, node.log);
  }
  const manifest: Manifest = {
    format: 'vigil-logs/1',
    cluster: first.status.cluster.name,
    collectedAt: at.toISOString(),
    tool: options.tool,
    host: hostname(),
    through: first.server,
    nodes: nodes.map((node) => node.result),
    failed: nodes
      .filter((node) => !node.result.ok)
      .map((node) => ({ name: node.name, reason: node.result.errors.join('; ') })),
    config: config.ok ? { ok: true, redacted: config.config.redacted } : { ok: false, error: config.error },
    alerts: timeline.length,
    files: [],
  };
  const manifestPath = `${name}/manifest.json`;
  manifest.files = [manifestPath, ...entries.filter((entry) => !entry.directory).map((entry) => entry.path)];
  entries.splice(1, 0, { path: manifestPath, data: `${JSON.stringify(manifest, null, 2)}\n`, mtime: at });
  return { name, entries, manifest, collected: nodes.filter((node) => node.result.ok).length };
}

interface NodeCollection {
  name: string;
  snapshot: NodeSnapshot | undefined;
  log: Buffer | undefined;
  result: NodeResult;
}

async function collectNode(
  client: ControlClient,
  server: string,
  known: NodeSnapshot | undefined,
  options: CollectOptions,
  progress: (progress: NodeProgress) => void,
): Promise<NodeCollection> {
  const errors: string[] = [];
  let snapshot = known;
  if (!snapshot) {
    try {
      snapshot = await client.call('logs.snapshot', { node: server }, CALL_TIMEOUT_MS);
    } catch (error) {
      errors.push(`status and alerts: ${messageOf(error)}`);
    }
  }
  let log: { bytes: Buffer; source: LogChunk['source']; leftOutBytes: number } | undefined;
  try {
    log = await readLog(client, server, options.maxLogBytes ?? MAX_LOG_BYTES, (bytes, total) =>
      progress({ node: server, phase: 'log', bytes, total }),
    );
  } catch (error) {
    errors.push(`log: ${messageOf(error)}`);
  }
  const ok = errors.length === 0;
  if (ok) progress({ node: server, phase: 'done', bytes: log?.bytes.length ?? 0 });
  else progress({ node: server, phase: 'failed', error: errors.join('; ') });
  return {
    name: server,
    snapshot,
    log: log?.bytes,
    result: {
      name: server,
      ok,
      errors,
      log: log ? { source: log.source, bytes: log.bytes.length, leftOutBytes: log.leftOutBytes } : null,
      status: snapshot !== undefined,
      alertsLeftOut: snapshot?.alertsLeftOut ?? 0,
    },
  };
}

/** The whole log, piece by piece; only its last `maxBytes` when it is longer. */
async function readLog(
  client: ControlClient,
  server: string,
  maxBytes: number,
  onPiece: (bytes: number, total: number) => void,
): Promise<{ bytes: Buffer; source: LogChunk['source']; leftOutBytes: number }> {
  let chunk = await client.call('logs.collect', { node: server, offset: 0 }, CALL_TIMEOUT_MS);
  const leftOutBytes = Math.max(0, chunk.size - maxBytes);
  if (leftOutBytes > 0)
    chunk = await client.call('logs.collect', { node: server, offset: leftOutBytes }, CALL_TIMEOUT_MS);
  const pieces: Buffer[] = [];
  let bytes = 0;
  for (;;) {
    const piece = Buffer.from(chunk.data, 'base64');
    pieces.push(piece);
    bytes += piece.length;
    onPiece(bytes, Math.max(chunk.size - leftOutBytes, bytes));
    // A log that grows while it is read could be chased for ever: stop at the limit.
    const next = chunk.next;
    if (next === null || piece.length === 0 || next <= chunk.offset || bytes >= maxBytes) break;
    chunk = await client.call('logs.collect', { node: server, offset: next }, CALL_TIMEOUT_MS);
  }
  return { bytes: Buffer.concat(pieces), source: chunk.source, leftOutBytes };
}

/** A server or cluster name as a path part: config names are simple, but never trust a path. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
