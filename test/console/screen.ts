// Driving a rendered console in tests: type keys and wait for what the screen shows, with a
// deadline rather than fixed sleeps.
import type { render } from 'ink-testing-library';

export type Rendered = ReturnType<typeof render>;

/** One turn of the event loop: ink handles one key per input event, React renders after it. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Waits until `check` holds (generous deadline: the machine may be loaded); `shown` says what was seen. */
export async function waitUntil(check: () => boolean, what: string, shown = () => ''): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${shown()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the screen satisfies `check`. */
export async function until(app: Rendered, check: (frame: string) => boolean, what: string): Promise<string> {
  const frame = () => app.lastFrame() ?? '';
  await waitUntil(
    () => check(frame()),
    what,
    () => `; screen:\n${frame()}`,
  );
  return frame();
}

export const shows = (app: Rendered, pattern: RegExp) => until(app, (f) => pattern.test(f), `${pattern}`);
export const hides = (app: Rendered, pattern: RegExp) => until(app, (f) => !pattern.test(f), `no ${pattern}`);

/** Waits until the screen differs from `before` (a key that changes the view has been handled). */
export const changedFrom = (app: Rendered, before: string) =>
  until(app, (f) => f !== before, 'the screen to change');

export async function type(app: Rendered, text: string): Promise<void> {
  for (const key of text) {
    app.stdin.write(key);
    await turn();
    await turn();
  }
}

/** The first screen is up (the cluster tree shows its groups). */
export const ready = (app: Rendered) => shows(app, /web/);

/** The help screen is open. */
export const helpOpen = (app: Rendered) => shows(app, /Esc or \? closes this help/);
