// `vigil config check FILE...`: every problem of each file, then a summary of each valid one.
// Each file is checked on its own: the cluster file is one file, identical on every server.

import { formatProblem, loadConfigFile } from '../config/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT, UsageError, type Output } from './command.js';
import { checkOcfParameters } from './config-ocf.js';
import { configSummary, plural } from './config-summary.js';

export async function configCheck(args: string[], output: Output): Promise<number> {
  const { values, positionals: files } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    output.out('usage: vigil config check FILE...');
    return EXIT.ok;
  }
  if (files.length === 0) throw new UsageError('no config file given');
  let exitCode: number = EXIT.ok;
  for (const file of files) {
    const result = await loadConfigFile(file);
    if (!result.ok && result.readError !== undefined) {
      output.err(`vigil config check: ${result.readError}`);
      exitCode = Math.max(exitCode, EXIT.usage);
      continue;
    }
    const problems = result.ok ? result.warnings : result.problems;
    for (const problem of problems) output.out(formatProblem(problem));
    const ocf = result.ok ? await checkOcfParameters(result) : [];
    for (const finding of ocf) output.out(finding.line);
    const ocfErrors = ocf.filter((finding) => finding.severity === 'error').length;
    if (result.ok && ocfErrors > 0) {
      output.out(`${file}: invalid: ${plural(ocfErrors, 'error')} in OCF parameters`);
      exitCode = Math.max(exitCode, EXIT.invalid);
    } else if (result.ok) {
      output.out(configSummary(result));
    } else {
      const errors = problems.filter((problem) => problem.severity === 'error').length;
      const warnings = problems.length - errors;
      output.out(
        `${file}: invalid: ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`,
      );
      exitCode = Math.max(exitCode, EXIT.invalid);
    }
  }
  return exitCode;
}
