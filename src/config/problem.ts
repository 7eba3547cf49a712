// Problems found in a config file, in the form an operator reads:  FILE:LINE:COL path: message (hint)

export type Severity = 'error' | 'warning';
export type PathSegment = string | number;

/** A problem found in the data, before its place in the file is known. */
export interface Finding {
  path: PathSegment[];
  message: string;
  hint?: string;
  severity: Severity;
  /** Point at the key of the last path segment (unknown keys) instead of its value. */
  at?: 'key' | 'value';
}

export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Where in the config, e.g. `groups[1].resources[2].dependsOn[0]`; empty for the document itself. */
  path: string;
  message: string;
  hint?: string;
  severity: Severity;
}

export function error(path: PathSegment[], message: string, hint?: string, at?: 'key'): Finding {
  return { path, message, severity: 'error', ...(hint === undefined ? {} : { hint }), ...(at ? { at } : {}) };
}

export function warning(path: PathSegment[], message: string, hint?: string, at?: 'key'): Finding {
  return {
    path,
    message,
    severity: 'warning',
    ...(hint === undefined ? {} : { hint }),
    ...(at ? { at } : {}),
  };
}

/** `groups[1].resources[2].dependsOn`: indices 0-based, keys that are not identifiers quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  const path = problem.path === '' ? '' : ` ${problem.path}:`;
  const label = problem.severity === 'warning' ? ' warning:' : '';
  const hint = problem.hint === undefined ? '' : ` (${problem.hint})`;
  return `${where}${path}${label} ${problem.message}${hint}`;
}

export function byPosition(a: Problem, b: Problem): number {
  return a.line - b.line || a.col - b.col;
}
