// Cuts the cluster's heartbeat and peer traffic between s1 (127.0.0.1) and the other agents on
// loopback with iptables, on the test's own ports and in a chain of its own. Needs root.
import { spawnSync } from 'node:child_process';
import type { ClusterPorts } from './harness.js';

export const canCut =
  process.getuid?.() === 0 && spawnSync('iptables', ['-L', '-n'], { stdio: 'ignore' }).status === 0;

function iptables(...args: string[]): void {
  const run = spawnSync('iptables', ['-w', '5', ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`iptables ${args.join(' ')}: ${run.stderr.trim()}`);
}

/** Drops the cluster's heartbeat and peer traffic between s1 and the others, both ways. */
export function isolateS1(chain: string, ports: ClusterPorts): void {
  iptables('-N', chain);
  iptables('-I', 'INPUT', '-j', chain);
  for (const other of ['127.0.0.2', '127.0.0.3']) {
    for (const [a, b] of [
      ['127.0.0.1', other],
      [other, '127.0.0.1'],
    ]) {
      iptables(
        '-A',
        chain,
        '-s',
        a,
        '-d',
        b,
        '-p',
        'udp',
        '--dport',
        String(ports.heartbeatPort),
        '-j',
        'DROP',
      );
      for (const flag of ['--dport', '--sport'])
        iptables('-A', chain, '-s', a, '-d', b, '-p', 'tcp', flag, String(ports.peerPort), '-j', 'DROP');
    }
  }
}

/** Removes the chain (also one left by an interrupted earlier run). */
export function heal(chain: string): void {
  spawnSync('iptables', ['-w', '5', '-D', 'INPUT', '-j', chain], { stdio: 'ignore' });
  spawnSync('iptables', ['-w', '5', '-F', chain], { stdio: 'ignore' });
  spawnSync('iptables', ['-w', '5', '-X', chain], { stdio: 'ignore' });
}
