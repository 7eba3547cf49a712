// A serial cable for tests: socat joins two pseudo-terminals, reachable as DIR/NAME symlinks.
// Killing it is a cable cut (both ends see the device go away); starting it again is a new cable
// at the same paths.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from './helpers.js';

export class SerialPair {
  private child: ChildProcess | null = null;

  constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  async start(): Promise<void> {
    if (this.child) throw new Error('socat already running');
    const child = spawn('socat', [`pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    this.child = child;
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitFor(
      `socat to create ${this.a} and ${this.b}`,
      () => {
        if (exited) throw new Error(`socat exited at start: ${stderr}`);
        return existsSync(this.a) && existsSync(this.b);
      },
      10_000,
      10,
    );
  }

  /** Kills socat and waits until it is gone (its symlinks with it). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
  }
}
