// The lab's network: a Linux bridge, one network namespace per server plus a client (and any extra
// namespace a test asks for), each joined to the bridge by a veth pair whose namespace end is `eth0`.
// Every name starts with `vl` and a short random id, so concurrent runs never collide, and a sweep at
// start removes what an interrupted run with the same prefix shape left behind.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_SUBNET = '10.77.0';
export const LAB_PREFIX_LENGTH = 24;

/** Runs a command, throws with its stderr when it fails. */
export function run(command: string, args: string[], timeoutMs = 10_000): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Runs a command and ignores its failure: for cleanup of things that may be gone already. */
export function runQuiet(command: string, args: string[]): void {
  spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
}

/** Why the lab cannot run here, or false when it can. */
export function labSkipReason(): string | false {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, bridges, iptables)';
  for (const [command, args] of [
    ['ip', ['netns', 'list']],
    ['iptables', ['--version']],
    ['arping', ['-V']],
  ] as const) {
    const result = spawnSync(command, [...args], { stdio: 'ignore' });
    if (result.error || result.status !== 0)
      return `the lab needs \`${command}\` (${command} ${args.join(' ')})`;
  }
  return false;
}

export interface LabNode {
  name: string;
  /** The network namespace. */
  ns: string;
  /** The veth end on the bridge, in the root namespace. */
  hostVeth: string;
  address: string;
}

/** Each run records its pid here under its id, so a sweep never touches a run that is still alive. */
const OWNERS_DIR = '/run/vigil-lab';

function ownerAlive(id: string): boolean {
  try {
    const pid = Number(readFileSync(join(OWNERS_DIR, id), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes namespaces and links of the lab's shape (`vl` + 6 hex digits) left by an earlier run that
 * died before its cleanup: those whose owner pid (in /run/vigil-lab) is gone.
 */
export function sweepLeftovers(): void {
  const ids = new Set<string>();
  for (const line of run('ip', ['netns', 'list']).split('\n')) {
    const id = /^(vl[0-9a-f]{6})-/.exec(line)?.[1];
    if (id) ids.add(id);
  }
  const links = run('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+: (vl[0-9a-f]{6})([a-z0-9]*)[@:]/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  for (const m of links) ids.add(m[1] as string);
  for (const id of ids) {
    if (ownerAlive(id)) continue;
    for (const line of run('ip', ['netns', 'list']).split('\n')) {
      const ns = line.split(' ')[0];
      if (ns?.startsWith(`${id}-`)) {
        killNamespace(ns);
        runQuiet('ip', ['netns', 'del', ns]);
      }
    }
    for (const m of links) if (m[1] === id) runQuiet('ip', ['link', 'del', `${m[1]}${m[2]}`]);
    rmSync(join(OWNERS_DIR, id), { force: true });
  }
}

function namespacePids(ns: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** SIGKILL every process in a namespace, until it is empty (a process can fork while we kill). */
function killNamespace(ns: string): number[] {
  const killed: number[] = [];
  for (let round = 0; round < 20; round++) {
    const pids = namespacePids(ns);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // Exited meanwhile.
      }
    }
  }
  return killed;
}

export class LabNetwork {
  readonly id = `vl${randomBytes(3).toString('hex')}`;
  readonly bridge = `${this.id}br`;
  readonly nodes = new Map<string, LabNode>();

  /** Creates the bridge and a namespace per name; `hosts` maps each name to its last address byte. */
  constructor(hosts: Record<string, number>) {
    sweepLeftovers();
    mkdirSync(OWNERS_DIR, { recursive: true });
    writeFileSync(join(OWNERS_DIR, this.id), String(process.pid));
    try {
      run('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
      run('ip', ['link', 'set', this.bridge, 'up']);
      for (const [name, byte] of Object.entries(hosts)) this.addNode(name, byte);
    } catch (error) {
      this.destroy();
      throw error;
    }
  }

  private addNode(name: string, byte: number): void {
    const node: LabNode = {
      name,
      ns: `${this.id}-${name}`,
      hostVeth: `${this.id}${name}`,
      address: `${LAB_SUBNET}.${byte}`,
    };
    this.nodes.set(name, node);
    const inner = `${this.id}${name}i`;
    run('ip', ['netns', 'add', node.ns]);
    run('ip', ['link', 'add', node.hostVeth, 'type', 'veth', 'peer', 'name', inner]);
    run('ip', ['link', 'set', inner, 'netns', node.ns]);
    run('ip', ['-n', node.ns, 'link', 'set', inner, 'name', 'eth0']);
    run('ip', ['-n', node.ns, 'addr', 'add', `${node.address}/${LAB_PREFIX_LENGTH}`, 'dev', 'eth0']);
    run('ip', ['-n', node.ns, 'link', 'set', 'eth0', 'up']);
    run('ip', ['-n', node.ns, 'link', 'set', 'lo', 'up']);
    run('ip', ['link', 'set', node.hostVeth, 'master', this.bridge, 'up']);
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`the lab has no node ${name}`);
    return node;
  }

  /** The MAC address of a node's eth0. */
  mac(name: string): string {
    const out = run('ip', ['-n', this.node(name).ns, '-o', 'link', 'show', 'eth0']);
    const mac = /link\/ether ([0-9a-f:]{17})/.exec(out)?.[1];
    if (!mac) throw new Error(`no MAC address on eth0 of ${name}: ${out}`);
    return mac;
  }

  /** `ip netns exec NS` + the command, as argv. */
  exec(name: string, command: string[]): string[] {
    return ['ip', 'netns', 'exec', this.node(name).ns, ...command];
  }

  /** Every pid in a node's namespace. */
  pids(name: string): number[] {
    return namespacePids(this.node(name).ns);
  }

  /** SIGKILL every process in a node's namespace (the agent, its services, anything they started). */
  killAll(name: string): number[] {
    return killNamespace(this.node(name).ns);
  }

  /** Takes a node's link to the bridge down (or up again): its cable is pulled. */
  setLink(name: string, up: boolean): void {
    run('ip', ['link', 'set', this.node(name).hostVeth, up ? 'up' : 'down']);
  }

  /** Runs iptables in a node's namespace. */
  iptables(name: string, args: string[]): void {
    run('ip', ['netns', 'exec', this.node(name).ns, 'iptables', '-w', '5', ...args]);
  }

  /** Drops every IP packet between the two groups of nodes, both ways (ARP still passes). */
  partition(sideA: string[], sideB: string[]): void {
    for (const a of sideA)
      for (const b of sideB) {
        this.iptables(a, ['-A', 'INPUT', '-s', this.node(b).address, '-j', 'DROP']);
        this.iptables(a, ['-A', 'OUTPUT', '-d', this.node(b).address, '-j', 'DROP']);
        this.iptables(b, ['-A', 'INPUT', '-s', this.node(a).address, '-j', 'DROP']);
        this.iptables(b, ['-A', 'OUTPUT', '-d', this.node(a).address, '-j', 'DROP']);
      }
  }

  /** `to` stops receiving what `from` sends; the other way keeps working. */
  oneWayLoss(from: string, to: string): void {
    this.iptables(to, ['-A', 'INPUT', '-s', this.node(from).address, '-j', 'DROP']);
  }

  /** A node drops each packet it receives with the given probability. */
  randomLoss(name: string, probability: number): void {
    this.iptables(name, [
      '-A',
      'INPUT',
      '-m',
      'statistic',
      '--mode',
      'random',
      '--probability',
      String(probability),
      '-j',
      'DROP',
    ]);
  }

  /** Removes every rule the faults added in the given nodes. */
  heal(names = [...this.nodes.keys()]): void {
    for (const name of names) this.iptables(name, ['-F']);
  }

  /** Kills whatever still runs in the namespaces, deletes them and the bridge. Never throws. */
  destroy(): void {
    for (const node of this.nodes.values()) {
      try {
        this.killAll(node.name);
      } catch {
        // Keep cleaning up.
      }
      runQuiet('ip', ['netns', 'del', node.ns]);
      runQuiet('ip', ['link', 'del', node.hostVeth]);
    }
    runQuiet('ip', ['link', 'del', this.bridge]);
    rmSync(join(OWNERS_DIR, this.id), { force: true });
  }
}
