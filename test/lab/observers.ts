// What the lab's client sees: an HTTP poller and an ARP watcher, both run inside the client
// namespace, recording with timestamps every answer they get.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../src/demo/repo.js';
import type { LabNetwork } from './netns.js';

/** Reads a child's stdout line by line. */
function onLines(child: ChildProcess, line: (text: string) => void): void {
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) line(part);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}

export interface HttpAnswer {
  /** When the request was sent (ms since epoch). */
  at: number;
  /** The server that answered, or null: no answer within 500 ms, or not 200. */
  server: string | null;
}

/** Polls a URL from a namespace every `everyMs`, for at most `forMs` (default 10 minutes). */
export class ClientPoller {
  readonly answers: HttpAnswer[] = [];
  private readonly child: ChildProcess;

  constructor(net: LabNetwork, from: string, url: string, everyMs = 25, forMs = 600_000) {
    const script = join(repoRoot(), 'dist', 'test', 'lab', 'http-poller-main.js');
    this.child = spawn(
      'ip',
      ['netns', 'exec', net.node(from).ns, process.execPath, script, url, String(everyMs), String(forMs)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    onLines(this.child, (line) => this.answers.push(JSON.parse(line) as HttpAnswer));
  }

  /** The last answer from `server` sent after `since`, if any. */
  answeredBy(server: string, since = 0): HttpAnswer | undefined {
    return [...this.answers].reverse().find((a) => a.server === server && a.at >= since);
  }

  /** The servers that answered, in order, repeats collapsed. */
  sequence(since = 0): string[] {
    const out: string[] = [];
    for (const a of this.answers)
      if (a.at >= since && a.server && out.at(-1) !== a.server) out.push(a.server);
    return out;
  }

  /** The longest run without an answer after `since`, in ms (from the last answer to the next one). */
  longestGap(since = 0): number {
    let last: number | undefined;
    let gap = 0;
    for (const a of this.answers) {
      if (a.at < since || !a.server) continue;
      if (last !== undefined) gap = Math.max(gap, a.at - last);
      last = a.at;
    }
    return gap;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

export interface ArpReply {
  at: number;
  mac: string;
}

/**
 * Broadcasts an ARP request for `ip` from a namespace and records every reply: each server holding
 * the address answers, so two MACs at once show up here. iputils arping sends at most one request a
 * second, so `parallel` copies run staggered across the second (5: a request every 200 ms).
 */
export class ArpWatcher {
  readonly replies: ArpReply[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(net: LabNetwork, from: string, ip: string, parallel = 5) {
    for (let i = 0; i < parallel; i++)
      this.timers.push(setTimeout(() => this.spawnOne(net, from, ip), (1000 / parallel) * i));
  }

  private spawnOne(net: LabNetwork, from: string, ip: string): void {
    // stdbuf: arping's stdout is a pipe here, and the replies must arrive as they happen.
    const child = spawn(
      'ip',
      ['netns', 'exec', net.node(from).ns, 'stdbuf', '-oL', 'arping', '-b', '-I', 'eth0', '-w', '600', ip],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.push(child);
    onLines(child, (line) => {
      const mac = /reply from \S+ \[([0-9A-Fa-f:]{17})\]/.exec(line)?.[1];
      if (mac) this.replies.push({ at: Date.now(), mac: mac.toLowerCase() });
    });
  }

  /** The MACs that replied, in order, repeats collapsed. */
  sequence(since = 0): string[] {
    const out: string[] = [];
    for (const r of this.replies) if (r.at >= since && out.at(-1) !== r.mac) out.push(r.mac);
    return out;
  }

  /**
   * Replies from two different MACs closer together than `windowMs`: two holders answering the
   * same request (requests go out every interval, so replies to one request arrive together).
   */
  overlaps(windowMs: number, since = 0): [ArpReply, ArpReply][] {
    const out: [ArpReply, ArpReply][] = [];
    const replies = this.replies.filter((r) => r.at >= since);
    for (let i = 1; i < replies.length; i++) {
      const a = replies[i - 1] as ArpReply;
      const b = replies[i] as ArpReply;
      if (a.mac !== b.mac && b.at - a.at < windowMs) out.push([a, b]);
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.children.map(stopChild));
  }
}
