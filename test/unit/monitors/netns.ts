// A network namespace with a veth pair to the host, made (as root) for one test and removed after it.
// Addresses come from 10.199.N.0/29, N from the pid, so parallel test files do not collide.
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export interface VethNamespace {
  ns: string;
  /** Host end and the end inside the namespace. */
  host: string;
  inner: string;
  hostAddress: string;
  innerAddress: string;
  /** In the namespace's subnet but assigned to nothing: never answers. */
  silentAddress: string;
  /** Runs `ip ARGS` (inside the namespace with inNs). */
  ip(args: string[], inNs?: boolean): void;
}

export function makeVethNamespace(t: TestContext, tag: string): VethNamespace {
  const id = `${tag}${process.pid % 100000}`;
  const n = process.pid % 250;
  const ns = `vigil-${id}`;
  const host = `${id}h`;
  const inner = `${id}n`;
  const ip = (args: string[], inNs = false) =>
    execFileSync('ip', inNs ? ['-n', ns, ...args] : args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const cleanup = () => {
    for (const args of [
      ['link', 'del', host],
      ['netns', 'del', ns],
    ]) {
      try {
        ip(args);
      } catch {
        // already gone
      }
    }
  };
  cleanup();
  t.after(cleanup);
  const net = `10.199.${n}`;
  ip(['netns', 'add', ns]);
  ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', inner, 'netns', ns]);
  ip(['addr', 'add', `${net}.1/29`, 'dev', host]);
  ip(['link', 'set', host, 'up']);
  ip(['addr', 'add', `${net}.2/29`, 'dev', inner], true);
  ip(['link', 'set', inner, 'up'], true);
  ip(['link', 'set', 'lo', 'up'], true);
  return {
    ns,
    host,
    inner,
    hostAddress: `${net}.1`,
    innerAddress: `${net}.2`,
    silentAddress: `${net}.3`,
    ip,
  };
}
