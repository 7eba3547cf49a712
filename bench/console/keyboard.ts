// A fake keyboard for the console benchmark: a TTY-like stdin that ink reads keys from.
import { EventEmitter } from 'node:events';

export class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  private pending: string[] = [];

  type(text: string): void {
    this.pending.push(text);
    this.emit('readable');
  }

  read(): string | null {
    return this.pending.shift() ?? null;
  }

  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}
