// Console themes: semantic tokens (status.ok, muted, focus …) mapped to colours, loaded from
// themes/*.yaml. Components ask for a token, never for a colour. A theme that does not validate is
// reported (file and token) and the default theme is used instead.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../demo/repo.js';

export const TOKENS = [
  'status.ok',
  'status.warning',
  'status.error',
  'status.unknown',
  'status.suspended',
  'text',
  'muted',
  'border',
  'focus',
  'selection',
  'header',
] as const;

export type Token = (typeof TOKENS)[number];
export type StatusKind = 'ok' | 'warning' | 'error' | 'unknown' | 'suspended';

export interface Theme {
  name: string;
  /** A colour Ink understands, or undefined for the terminal's own colour. */
  color(token: Token): string | undefined;
  /** No colour at all: the selection is shown in inverse video. */
  monochrome: boolean;
  symbols: Record<StatusKind, string>;
}

export const UNICODE_SYMBOLS: Record<StatusKind, string> = {
  ok: '✔',
  warning: '▲',
  error: '✖',
  unknown: '?',
  suspended: '⏸',
};

export const ASCII_SYMBOLS: Record<StatusKind, string> = {
  ok: '+',
  warning: '!',
  error: 'x',
  unknown: '?',
  suspended: '=',
};

const NAMED_COLOURS = new Set(
  ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey'].flatMap((name) =>
    name === 'gray' || name === 'grey' ? [name] : [name, `${name}Bright`],
  ),
);

export class ThemeError extends Error {
  override name = 'ThemeError';
}

const BUILTIN_DEFAULT: Record<Token, string> = {
  'status.ok': 'green',
  'status.warning': 'yellow',
  'status.error': 'red',
  'status.unknown': 'gray',
  'status.suspended': 'cyan',
  text: 'default',
  muted: 'gray',
  border: 'gray',
  focus: 'blue',
  selection: 'blue',
  header: 'cyan',
};

export function isColour(value: string): boolean {
  return value === 'default' || NAMED_COLOURS.has(value) || /^#[0-9a-fA-F]{6}$/.test(value);
}

/** Validates the text of a theme file; throws a ThemeError naming the file and the token. */
export function parseTheme(name: string, file: string, text: string, ascii = false): Theme {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ThemeError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new ThemeError(`${file}: a theme is a mapping with a "tokens" mapping`);
  const tokens = (document as Record<string, unknown>).tokens;
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens))
    throw new ThemeError(`${file}: "tokens" is missing or not a mapping (token: colour)`);
  const values = tokens as Record<string, unknown>;
  for (const key of Object.keys(values))
    if (!(TOKENS as readonly string[]).includes(key))
      throw new ThemeError(`${file}: unknown token "${key}" (tokens: ${TOKENS.join(', ')})`);
  const colours = {} as Record<Token, string>;
  for (const token of TOKENS) {
    const value = values[token];
    if (value === undefined) throw new ThemeError(`${file}: token ${token} is missing`);
    if (typeof value !== 'string' || !isColour(value))
      throw new ThemeError(
        `${file}: token ${token}: "${String(value)}" is not a colour (use a name such as green or redBright, #rrggbb, or default)`,
      );
    colours[token] = value;
  }
  return makeTheme(name, colours, ascii);
}

function makeTheme(name: string, colours: Record<Token, string>, ascii: boolean): Theme {
  const monochrome = TOKENS.every((token) => colours[token] === 'default');
  return {
    name,
    monochrome,
    color: (token) => (colours[token] === 'default' ? undefined : colours[token]),
    symbols: ascii ? ASCII_SYMBOLS : UNICODE_SYMBOLS,
  };
}

export interface ThemeRequest {
  /** --theme: a theme name or a path to a YAML file. */
  name?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the shipped themes are (default: themes/ of this checkout). */
  themesDir?: string;
  /** Where the operator's own themes are (default: ~/.config/vigil/themes). */
  userDir?: string;
}

/** Plain ASCII symbols when asked (VIGIL_ASCII) or when the locale is set and is not UTF-8. */
export function wantsAscii(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.VIGIL_ASCII) return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  return locale !== undefined && locale !== '' && !/utf-?8/i.test(locale) && locale !== 'C.UTF-8';
}

export function shippedThemesDir(): string {
  return join(repoRoot(), 'themes');
}

export function themeNames(themesDir = shippedThemesDir()): string[] {
  return ['default', 'dark', 'light', 'high-contrast', 'monochrome'].filter(
    (name) => !!readIfExists(join(themesDir, `${name}.yaml`)),
  );
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The theme to use: --theme, else $VIGIL_THEME, else monochrome under NO_COLOR, else default.
 * Never throws: problems come back as warnings and the default theme is used.
 */
export function loadTheme(request: ThemeRequest = {}): { theme: Theme; warnings: string[] } {
  const env = request.env ?? process.env;
  const ascii = wantsAscii(env);
  const themesDir = request.themesDir ?? shippedThemesDir();
  const userDir =
    request.userDir ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vigil', 'themes');
  const name = request.name || env.VIGIL_THEME || (env.NO_COLOR ? 'monochrome' : 'default');
  const warnings: string[] = [];
  try {
    return { theme: readTheme(name, themesDir, userDir, ascii), warnings };
  } catch (error) {
    if (!(error instanceof ThemeError)) throw error;
    warnings.push(`${error.message}; using the default theme`);
  }
  try {
    return { theme: readTheme('default', themesDir, userDir, ascii), warnings };
  } catch (error) {
    warnings.push((error as Error).message);
    return { theme: makeTheme('default', BUILTIN_DEFAULT, ascii), warnings };
  }
}

function readTheme(name: string, themesDir: string, userDir: string, ascii: boolean): Theme {
  const isPath = name.includes('/') || name.endsWith('.yaml') || name.endsWith('.yml');
  if (!isPath && !/^[a-zA-Z0-9._-]+$/.test(name))
    throw new ThemeError(`theme "${name}": a theme name is letters, digits, ".", "_" and "-"`);
  const candidates = isPath ? [name] : [join(userDir, `${name}.yaml`), join(themesDir, `${name}.yaml`)];
  for (const file of candidates) {
    const text = readIfExists(file);
    if (text !== undefined) return parseTheme(isPath ? file : name, file, text, ascii);
  }
  throw new ThemeError(
    isPath
      ? `theme file ${name} cannot be read`
      : `no theme "${name}" (looked in ${candidates.join(' and ')}; shipped: ${themeNames(themesDir).join(', ')})`,
  );
}

/** A theme that needs no files: for tests and as the last resort. */
export function builtinTheme(ascii = false): Theme {
  return makeTheme('default', BUILTIN_DEFAULT, ascii);
}
