// Loading a cluster config: parse the YAML, check the shape against the schema, check the rules
// between values, and, when nothing is wrong, build the engine's model. Every problem is reported
// at once, each with its file, line and column.

import { readFile } from 'node:fs/promises';
import type { ClusterModel } from '../engine/model.js';
import { failoverBudgets, type FailoverBudget } from './budget.js';
import { checkConfig } from './check.js';
import { issuesToFindings } from './issues.js';
import { parseYaml } from './parse-yaml.js';
import { byPosition, formatPath, type Finding, type Problem } from './problem.js';
import { configSchema, type VigilConfig } from './schema.js';
import { toModel } from './to-model.js';

export interface LoadSuccess {
  ok: true;
  file: string;
  /** The config as written, with the schema's defaults filled (durations still strings). */
  config: VigilConfig;
  model: ClusterModel;
  budgets: FailoverBudget[];
  warnings: Problem[];
}

export interface LoadFailure {
  ok: false;
  file: string;
  /** Errors and warnings, in file order. Empty when the file could not be read. */
  problems: Problem[];
  /** Set when the file could not be read at all (missing, permissions, a directory). */
  readError?: string;
}

export type LoadResult = LoadSuccess | LoadFailure;

export async function loadConfigFile(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, file, problems: [], readError: `cannot read ${file}: ${readFailure(error)}` };
  }
  return loadConfigText(text, file);
}

/** `file` only labels the problems; nothing is read from disk. */
export function loadConfigText(text: string, file: string): LoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.fatal) return { ok: false, file, problems: parsed.problems.sort(byPosition) };
  const shape = configSchema.safeParse(parsed.data, { reportInput: true });
  const findings = [
    ...(shape.success ? [] : issuesToFindings(configSchema, parsed.data, shape.error.issues)),
    ...checkConfig(parsed.data),
  ];
  const problems = unique([
    ...parsed.problems,
    ...findings.map((finding) => {
      const { line, col } = parsed.positions.locate(finding.path, finding.at);
      return toProblem(file, line, col, finding);
    }),
  ]).sort(byPosition);
  if (!shape.success || problems.some((problem) => problem.severity === 'error'))
    return { ok: false, file, problems };
  const model = toModel(shape.data);
  return { ok: true, file, config: shape.data, model, budgets: failoverBudgets(model), warnings: problems };
}

function toProblem(file: string, line: number, col: number, finding: Finding): Problem {
  const { message, hint, severity } = finding;
  return {
    file,
    line,
    col,
    path: formatPath(finding.path),
    message,
    severity,
    ...(hint === undefined ? {} : { hint }),
  };
}

function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.col}:${problem.path}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return (error as Error).message;
}
