// The cluster file of the monitor benchmark: one server on 127.0.0.1 and N monitors of each type, all
// `timing: always` at a 1 s interval, spread over the loopback targets.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Targets } from './targets.js';

export interface MonitorMix {
  tcp: number;
  http: number;
  custom: number;
}

export function totalMonitors(mix: MonitorMix): number {
  return mix.tcp + mix.http + mix.custom;
}

export function writeBenchConfig(dir: string, mix: MonitorMix, targets: Targets, basePort: number): string {
  const keyFile = join(dir, 'cluster.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const common = { interval: '1s', timeout: '800ms', timing: 'always', recovery: { target: 'idle' } };
  const name = (type: string, i: number) => `${type}-${String(i + 1).padStart(4, '0')}`;
  const monitors = [
    ...Array.from({ length: mix.tcp }, (_, i) => {
      const { host, port } = targets.tcp[i % targets.tcp.length];
      return { name: name('tcp', i), type: 'tcp', host, port, ...common };
    }),
    ...Array.from({ length: mix.http }, (_, i) => {
      const { host, port } = targets.http[i % targets.http.length];
      return { name: name('http', i), type: 'http', url: `http://${host}:${port}/health`, ...common };
    }),
    ...Array.from({ length: mix.custom }, (_, i) => ({
      name: name('custom', i),
      type: 'custom',
      script: 'true',
      ...common,
    })),
  ];
  const config = {
    cluster: { name: 'monbench', keyFile, heartbeatPort: basePort, peerPort: basePort + 1 },
    servers: [{ name: 's1', lan: ['127.0.0.1'] }],
    groups: [{ name: 'idle', resources: [{ name: 'noop', type: 'exec', start: 'true' }] }],
    monitors,
  };
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, stringify(config, { aliasDuplicateObjects: false }));
  return file;
}
