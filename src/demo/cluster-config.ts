// The demo cluster's files: a config for three agents on loopback addresses (ports away from a real
// install's), a fresh cluster key, and a directory per server. The process tests reuse this.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatProblem, loadConfigFile, type VigilConfigInput } from '../config/index.js';
import { demoLayout, type DemoLayout } from './layout.js';
import { repoRoot } from './repo.js';
import { RUN_DIR_ENV } from './service-lifecycle.js';
import { WEB_LISTEN, WEB_LISTEN_ENV } from './web-listen.js';

export interface DemoClusterOptions {
  /** The checkout whose build runs the services; default this one. */
  repoRoot?: string;
  /** The node binary for the services; default the one running now. */
  nodePath?: string;
  heartbeatPort?: number;
  peerPort?: number;
  sshPort?: number;
  /** Where the web service listens; default 127.0.0.100:8080. */
  webHost?: string;
  webPort?: number;
  /** Remove the servers' state left by an earlier run (default true): every demo starts afresh. */
  fresh?: boolean;
  /** Partition resolution (default: majority). */
  partition?: VigilConfigInput['partition'];
}

export interface DemoCluster extends DemoLayout {
  webUrl: string;
  /** The batch job's counter file. */
  batchCounterFile: string;
}

export const DEMO_PORTS = { heartbeatPort: 39100, peerPort: 39101, sshPort: 39022 } as const;

/** Quotes a word for a command line when it needs it. */
export function commandWord(word: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function demoConfig(layout: DemoLayout, options: DemoClusterOptions = {}): VigilConfigInput {
  const root = options.repoRoot ?? repoRoot();
  const node = commandWord(options.nodePath ?? process.execPath);
  const script = (name: string) => `${node} ${commandWord(join(root, 'dist', 'src', 'demo', `${name}.js`))}`;
  const web = `${options.webHost ?? WEB_LISTEN.host}:${options.webPort ?? WEB_LISTEN.port}`;
  return {
    cluster: {
      name: 'demo',
      keyFile: layout.keyFile,
      heartbeatPort: options.heartbeatPort ?? DEMO_PORTS.heartbeatPort,
      peerPort: options.peerPort ?? DEMO_PORTS.peerPort,
      sshPort: options.sshPort ?? DEMO_PORTS.sshPort,
      timing: {
        heartbeatInterval: '200ms',
        heartbeatTimeout: '1s',
        npDeadline: '500ms',
        fenceDeadline: '1s',
      },
    },
    servers: layout.servers.map((server) => ({ name: server.name, lan: [server.address] })),
    partition: options.partition ?? { methods: ['majority'], action: 'stop-service' },
    groups: [
      {
        name: 'web',
        policy: ['s1', 's2', 's3'],
        resources: [
          {
            name: 'web-service',
            type: 'exec',
            start: script('web-service'),
            longRunning: true,
            env: { [RUN_DIR_ENV]: layout.runDir, [WEB_LISTEN_ENV]: web },
            startTimeout: '5s',
            stopTimeout: '5s',
          },
        ],
      },
      {
        name: 'batch',
        policy: ['s3', 's2'],
        startup: 'auto',
        resources: [
          {
            name: 'batch-job',
            type: 'exec',
            start: script('batch-job'),
            longRunning: true,
            env: { [RUN_DIR_ENV]: layout.runDir },
            startTimeout: '5s',
            stopTimeout: '5s',
          },
        ],
      },
    ],
    monitors: [
      {
        name: 'web-pid',
        type: 'pid',
        target: 'web/web-service',
        interval: '1s',
        timeout: '500ms',
        retries: 0,
        recovery: { target: 'web', reactivate: 1, failover: 1, final: 'stop-group' },
      },
    ],
  };
}

export function demoConfigYaml(layout: DemoLayout, options: DemoClusterOptions = {}): string {
  return [
    '# The vigil demo cluster: three agents on loopback addresses of this machine.',
    '# Written by `vigil demo` at every start (with a fresh cluster key); edits are overwritten.',
    stringify(demoConfig(layout, options), { lineWidth: 0 }),
  ].join('\n');
}

/** The config is not valid: a bug in the demo, or an option out of range. */
export class DemoConfigError extends Error {
  override name = 'DemoConfigError';
}

/**
 * Writes the demo cluster under `dir`: config, key (mode 0600), run directory and a directory per
 * server, then checks the config as an agent would. Throws DemoConfigError listing the problems.
 */
export async function writeDemoCluster(dir: string, options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const layout = demoLayout(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(layout.runDir, { recursive: true });
  for (const server of layout.servers) {
    if (options.fresh !== false) await rm(server.stateDir, { recursive: true, force: true });
    await mkdir(server.stateDir, { recursive: true, mode: 0o700 });
  }
  await writeFile(layout.keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  await chmod(layout.keyFile, 0o600); // the file may be left from an earlier run with other bits
  await writeFile(layout.configFile, demoConfigYaml(layout, options));
  const loaded = await loadConfigFile(layout.configFile);
  if (!loaded.ok)
    throw new DemoConfigError(
      `the demo config ${layout.configFile} is not valid:\n${loaded.readError ?? loaded.problems.map(formatProblem).join('\n')}`,
    );
  const host = options.webHost ?? WEB_LISTEN.host;
  const port = options.webPort ?? WEB_LISTEN.port;
  return {
    ...layout,
    webUrl: `http://${host}:${port}/`,
    batchCounterFile: join(layout.runDir, 'batch.count'),
  };
}
