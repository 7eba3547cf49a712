// Shared setup of the console end-to-end tests over SSH: an operator's isolated home (own keys,
// ~/.ssh/config naming s1..s3, known_hosts), a real cluster with operators, and real OpenSSH sshd
// processes (the console runs in tmux-window.ts). Everything registers its own cleanup on the test.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DEMO_SERVERS } from '../../src/demo/layout.js';
import { hostKeyName } from '../../src/remote/known-hosts.js';
import { TestCluster, waitFor, type ClusterPorts } from '../process/cluster/harness.js';
import { withVars } from './tmux-window.js';

export const SSHD = '/usr/sbin/sshd';
export const hasSshd = existsSync(SSHD) && spawnSync('ssh-keygen', ['-?']).error === undefined;
/** The sshd of each node runs in a mount namespace of its own: that takes root. */
export const isRoot = process.getuid?.() === 0;

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new ed25519 key pair made by ssh-keygen; returns the public key line. */
function keygen(file: string, comment: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

/**
 * The operator's machine: HOME with ~/.ssh/config (s1..s3 → the demo's loopback addresses), the
 * admin key as ~/.ssh/id_ed25519, a viewer key beside it, and a known_hosts the test fills in.
 */
export class OperatorHome {
  readonly ssh: string;
  readonly adminKey: string;
  readonly viewerKey: string;
  readonly adminPublic: string;
  readonly viewerPublic: string;

  constructor(readonly home: string) {
    this.ssh = join(home, '.ssh');
    mkdirSync(this.ssh, { mode: 0o700 });
    this.adminKey = join(this.ssh, 'id_ed25519');
    this.viewerKey = join(this.ssh, 'viewer_ed25519');
    this.adminPublic = keygen(this.adminKey, 'ada@console');
    this.viewerPublic = keygen(this.viewerKey, 'vic@console');
    writeFileSync(
      join(this.ssh, 'config'),
      DEMO_SERVERS.map((s) => `Host ${s.name}\n  HostName ${s.address}\n`).join('\n'),
    );
    writeFileSync(this.knownHosts, '', { mode: 0o600 });
  }

  static create(t: TestContext): OperatorHome {
    return new OperatorHome(tempDir(t, 'vigil-e2e-home-'));
  }

  get knownHosts(): string {
    return join(this.ssh, 'known_hosts');
  }

  /** Records `publicLine` (`ssh-ed25519 AAAA…`) as the host key of address:port. */
  trust(address: string, port: number, publicLine: string): void {
    const [type, blob] = publicLine.trim().split(/\s+/);
    writeFileSync(this.knownHosts, `${hostKeyName(address, port)} ${type} ${blob}\n`, { flag: 'a' });
  }

  /** What this operator's processes change in the environment: own HOME, no ssh-agent. */
  vars(): Record<string, string | undefined> {
    return {
      HOME: this.home,
      LANG: 'C.UTF-8',
      SSH_AUTH_SOCK: undefined,
      XDG_CONFIG_HOME: undefined,
      VIGIL_SOCKET: undefined,
    };
  }

  /** The environment of a process run by this operator. */
  env(): NodeJS.ProcessEnv {
    return withVars(this.vars());
  }
}

/** A real three-agent cluster whose config names the operators ada (admin) and vic (viewer). */
export async function clusterWithOperators(
  t: TestContext,
  ports: ClusterPorts,
  home: OperatorHome,
): Promise<TestCluster> {
  const cluster = await TestCluster.start(ports, {
    extra: {
      operators: [
        { name: 'ada', key: home.adminPublic, role: 'admin' },
        { name: 'vic', key: home.viewerPublic, role: 'viewer' },
      ],
    },
  });
  t.after(() => cluster.stop());
  await cluster.healthy(60_000);
  await cluster.groupOnline('s1', 'web', 's1', 30_000);
  return cluster;
}

/** The agents' SSH endpoints are listening; their host keys (public lines) by server. */
export async function endpointHostKeys(cluster: TestCluster): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const server of cluster.demo.servers) {
    const record = await waitFor(
      `${server.name}'s SSH endpoint to listen`,
      () =>
        readFileSync(server.logFile, 'utf8')
          .split('\n')
          .find((line) => line.includes('"ssh-listening"')),
      20_000,
    );
    if (!record) throw new Error(`no ssh-listening record for ${server.name}`);
    const key = execFileSync('ssh-keygen', ['-y', '-f', join(server.stateDir, 'ssh_host_ed25519_key')], {
      encoding: 'utf8',
    });
    keys.set(server.name, key.trim());
  }
  return keys;
}

/**
 * A real OpenSSH sshd for one node, on the node's loopback address: its own config, host key and
 * authorized_keys in a temp dir. It runs in a mount namespace of its own with a private /run, where
 * the node's directory is /run/vigil: so the agent's socket is at the default remote path
 * /run/vigil/vigild.sock, as on a real server, for three "servers" on one machine.
 */
export class Sshd {
  readonly hostKeyLine: string;
  private readonly child: ChildProcess;
  private output = '';

  constructor(
    t: TestContext,
    readonly address: string,
    readonly port: number,
    nodeDir: string,
    authorizedKeys: string[],
  ) {
    const dir = tempDir(t, 'vigil-e2e-sshd-');
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    this.hostKeyLine = keygen(hostKey, `sshd@${address}`).split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'authorized_keys'), `${authorizedKeys.join('\n')}\n`);
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `ListenAddress ${address}:${port}`,
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'AllowStreamLocalForwarding yes',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    const script = [
      'set -e',
      'mount -t tmpfs vigil-e2e /run',
      // sshd's privilege separation directory, inside this namespace's /run.
      'mkdir -p /run/sshd /run/vigil',
      'mount --bind "$1" /run/vigil',
      `exec ${SSHD} -D -e -f "$2"`,
    ].join('\n');
    this.child = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sshd', nodeDir, config],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    t.after(() => this.stop());
  }

  /** What sshd logged (-e: to stderr) so far. */
  get log(): string {
    return this.output;
  }

  /** Waits until sshd listens (it logs "Server listening on"). */
  async listening(deadlineMs = 15_000): Promise<void> {
    await waitFor(
      `sshd on ${this.address}:${this.port}`,
      () => {
        if (this.child.exitCode !== null) throw new Error(`sshd exited: ${this.output}`);
        return this.output.includes('Server listening on') || undefined;
      },
      deadlineMs,
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
