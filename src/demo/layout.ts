// Where the demo cluster keeps its files. The CLI's --demo and the demo runner share this layout.
//
//   <dir>/cluster.yaml  cluster.key  demo.pid
//   <dir>/run/                          pid files and output of the demo services
//   <dir>/<server>/state/  vigild.sock  vigild.log  agent.out  agent.pid

import { join } from 'node:path';

export const DEMO_SERVERS = [
  { name: 's1', address: '127.0.0.1' },
  { name: 's2', address: '127.0.0.2' },
  { name: 's3', address: '127.0.0.3' },
] as const;

export interface DemoServerPaths {
  name: string;
  address: string;
  dir: string;
  stateDir: string;
  socket: string;
  logFile: string;
  /** The agent's stdout and stderr (startup failures show here, before its log is open). */
  outputFile: string;
  pidFile: string;
}

export interface DemoLayout {
  dir: string;
  configFile: string;
  keyFile: string;
  /** The pid of the `vigil demo` process that runs the cluster. */
  runnerPidFile: string;
  /** Pid files and files of the demo services (web-service, batch-job). */
  runDir: string;
  servers: DemoServerPaths[];
}

export function demoLayout(dir: string): DemoLayout {
  return {
    dir,
    configFile: join(dir, 'cluster.yaml'),
    keyFile: join(dir, 'cluster.key'),
    runnerPidFile: join(dir, 'demo.pid'),
    runDir: join(dir, 'run'),
    servers: DEMO_SERVERS.map(({ name, address }) => {
      const serverDir = join(dir, name);
      return {
        name,
        address,
        dir: serverDir,
        stateDir: join(serverDir, 'state'),
        socket: join(serverDir, 'vigild.sock'),
        logFile: join(serverDir, 'vigild.log'),
        outputFile: join(serverDir, 'agent.out'),
        pidFile: join(serverDir, 'agent.pid'),
      };
    }),
  };
}
