// Starts the console full screen on the alternate screen and restores the terminal on every way out:
// q, Ctrl-C, SIGTERM, and a crash.
import { render, type RenderOptions } from 'ink';
import type { NodeSource } from './data/node-source.js';
import { Clusters } from './clusters.js';
import { fastInkOutput } from './ink-output.js';
import { ScreenWriter } from './screen-writer.js';
import { loadTheme, type Theme } from './theme.js';

export interface ConsoleOptions {
  /** The clusters the operator can switch between, each a list of nodes. */
  clusters: Map<string, NodeSource[]>;
  initial: string;
  theme: Theme;
  readOnly?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** How ink draws the console (shared with bench/console, which measures it). */
export const INK_OPTIONS: RenderOptions = {};

/** Ink as the console runs it: composing only the rows that changed (shared with bench/console). */
export async function prepareInk(): Promise<void> {
  if (!(await fastInkOutput()))
    process.stderr.write('vigil console: this ink version is not the expected one; drawing will be slower\n');
}

/** What ink writes to: the terminal, through a writer that sends only the cells that changed. */
export function consoleOutput(terminal: NodeJS.WriteStream): NodeJS.WriteStream {
  return new ScreenWriter(terminal) as unknown as NodeJS.WriteStream;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT);
  };
  const onExit = () => restore();
  const onCrash = (error: unknown) => {
    restore();
    process.stderr.write(`vigil console: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('exit', onExit);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  await prepareInk();
  stdout.write(ENTER_ALT);

  const element = (
    <Clusters
      clusters={options.clusters}
      initial={options.initial}
      theme={options.theme}
      readOnly={options.readOnly ?? false}
      loadTheme={(name) => {
        const { theme, warnings } = loadTheme({ name });
        return warnings.length > 0 ? (warnings[0] as string) : theme;
      }}
    />
  );
  const instance = render(element, {
    ...INK_OPTIONS,
    stdout: consoleOutput(stdout),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    exitOnCtrlC: true,
  });
  const onTerm = () => instance.unmount();
  process.on('SIGTERM', onTerm);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', onTerm);
    restore();
    process.off('exit', onExit);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}
