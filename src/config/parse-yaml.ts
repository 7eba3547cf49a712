// Reads the YAML text into plain data while keeping where every node came from. Syntax errors are
// reported with the parser's position; duplicate keys are reported but do not stop the checks.

import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { formatPath, type Problem, type Severity } from './problem.js';
import { pathOfKeyAt, SourcePositions } from './positions.js';

export interface ParsedYaml {
  data: unknown;
  positions: SourcePositions;
  problems: Problem[];
  /** The syntax is broken: the data cannot be trusted and must not be checked further. */
  fatal: boolean;
}

const HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation, and that every [ or { is closed',
  MULTILINE_IMPLICIT_KEY: 'check the indentation, and that every [ or { is closed',
  MISSING_CHAR: 'a bracket or quote is not closed',
  UNEXPECTED_TOKEN: 'check the syntax on this line',
  BLOCK_AS_IMPLICIT_KEY: 'a key must fit on one line; check the indentation',
};

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = new SourcePositions(doc, lineCounter);
  const toProblem = (issue: YAMLError, severity: Severity): Problem => {
    const { line, col } = positions.at(issue.pos[0]);
    if (issue.code === 'DUPLICATE_KEY') {
      const path = pathOfKeyAt(doc, issue.pos[0]) ?? [];
      const key = path[path.length - 1];
      return {
        file,
        line,
        col,
        path: formatPath(path),
        severity,
        message: `duplicate key "${String(key ?? '')}"`,
        hint: 'a key may appear once per mapping; the second value would silently win',
      };
    }
    if (issue.code === 'MULTIPLE_DOCS') {
      return {
        file,
        line,
        col,
        path: '',
        severity,
        message: 'the file holds more than one YAML document',
        hint: 'remove the --- separator; a cluster config is one document',
      };
    }
    const hint = HINTS[issue.code] ?? (severity === 'error' ? 'fix the YAML syntax here' : undefined);
    return {
      file,
      line,
      col,
      path: '',
      severity,
      message: `YAML: ${issue.message}`,
      ...(hint === undefined ? {} : { hint }),
    };
  };
  const problems = firstPerLine([
    ...doc.errors.map((issue) => toProblem(issue, 'error')),
    ...doc.warnings.map((issue) => toProblem(issue, 'warning')),
  ]);
  const fatal = doc.errors.some((issue) => issue.code !== 'DUPLICATE_KEY');
  if (fatal) return { data: undefined, positions, problems, fatal };
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), positions, problems, fatal };
  } catch (error) {
    // toJS refuses alias bombs and similar; that is a broken file, not a crash.
    problems.push({
      file,
      line: 1,
      col: 1,
      path: '',
      severity: 'error',
      message: `YAML: ${(error as Error).message}`,
      hint: 'remove the anchors and aliases (& and *)',
    });
    return { data: undefined, positions, problems, fatal: true };
  }
}

/** Later syntax errors on the same line are nearly always echoes of the first one. */
function firstPerLine(problems: Problem[]): Problem[] {
  const lines = new Set<number>();
  return problems.filter((problem) => {
    if (lines.has(problem.line)) return false;
    lines.add(problem.line);
    return true;
  });
}
