// Entry point of `vigil` (bin/vigil imports this file from the build).
import { runCli } from './run.js';

const output = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(`${text}\n`),
};

process.exitCode = await runCli(process.argv.slice(2), output);
