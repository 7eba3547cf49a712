// Small shared pieces: the theme context and the status mark (symbol + word, coloured by token).
import { createContext, useContext, type ReactNode } from 'react';
import { Text } from 'ink';
import { builtinTheme, type StatusKind, type Theme, type Token } from './theme.js';

export const ThemeContext = createContext<Theme>(builtinTheme());

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export function Mark({ kind, word }: { kind: StatusKind; word: string }) {
  const theme = useTheme();
  return <Text color={theme.color(`status.${kind}`)}>{`${theme.symbols[kind]} ${word}`}</Text>;
}

export function Tok({ token, children, bold }: { token: Token; children: ReactNode; bold?: boolean }) {
  const theme = useTheme();
  return (
    <Text color={theme.color(token)} bold={bold}>
      {children}
    </Text>
  );
}

/** A selectable line: the selection colour as background, or inverse video without colours. */
export function Line({ selected, children }: { selected: boolean; children: ReactNode }) {
  const theme = useTheme();
  if (!selected) return <Text wrap="truncate-end">{children}</Text>;
  const background = theme.color('selection');
  return (
    <Text wrap="truncate-end" inverse={!background} backgroundColor={background}>
      {children}
    </Text>
  );
}

/** "3s", "2m", "1h" from milliseconds. */
export function age(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 3_600_000)}h`;
}

/** Shows `count` rows around `selected` so long lists stay fast and the selection stays visible. */
export function windowAround<T>(items: T[], selected: number, count: number): { start: number; items: T[] } {
  if (items.length <= count) return { start: 0, items };
  const start = Math.max(0, Math.min(selected - Math.floor(count / 2), items.length - count));
  return { start, items: items.slice(start, start + count) };
}
