// Services must not outlive the agent that was allowed to run them: if vigild dies (kill -9, a
// crash, the OOM killer), the server that takes its groups over would otherwise start a second copy.
// The reaper is a tiny shell process in a session of its own; the agent tells it, line by line on
// its stdin, which process groups to guard. When the agent dies the kernel closes that pipe, the
// shell's `read` sees end-of-file, and it SIGKILLs every group it still guards.
import { spawn, type ChildProcess } from 'node:child_process';

const script = [
  "guarded=' '",
  'while read -r op pgid; do',
  '  case "$op" in',
  '    add) guarded="$guarded$pgid " ;;',
  '    del) case "$guarded" in *" $pgid "*) guarded="${guarded%% $pgid *} ${guarded#* $pgid }" ;; esac ;;',
  '  esac',
  'done',
  'for g in $guarded; do kill -KILL -"$g" 2>/dev/null; done',
].join('\n');

export class DeadmanReaper {
  private readonly child: ChildProcess;
  private readonly guarded = new Set<number>();
  private closed = false;

  constructor() {
    this.child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.child.on('error', () => undefined);
    this.child.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe may keep the agent's event loop alive.
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  guard(pgid: number): void {
    if (this.closed || !Number.isInteger(pgid) || pgid <= 1 || this.guarded.has(pgid)) return;
    this.guarded.add(pgid);
    this.child.stdin?.write(`add ${pgid}\n`);
  }

  release(pgid: number): void {
    if (this.closed || !this.guarded.delete(pgid)) return;
    this.child.stdin?.write(`del ${pgid}\n`);
  }

  /** An orderly stop: forget every group first, so closing the pipe kills nothing. */
  close(): void {
    if (this.closed) return;
    for (const pgid of [...this.guarded]) this.release(pgid);
    this.closed = true;
    this.child.stdin?.end();
  }
}
