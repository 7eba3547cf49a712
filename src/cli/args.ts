// Tiny argument parsing on node:util parseArgs, turning its errors into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Takes an option whose value is optional (`--wait`, `--wait 30`, `--wait=30`) out of `args`, since
 * parseArgs has no such option type. A following word counts as the value only if it is a number.
 */
export function takeOptionalNumber(
  args: string[],
  flag: string,
  fallback: number,
): { rest: string[]; value: number | undefined } {
  const rest: string[] = [];
  let value: number | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg !== flag && !arg.startsWith(`${flag}=`)) {
      rest.push(arg);
      continue;
    }
    let text = arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : undefined;
    if (text === undefined && /^\d+(\.\d+)?$/.test(args[index + 1] ?? '')) text = args[++index];
    if (text === undefined) {
      value = fallback;
      continue;
    }
    const number = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || number <= 0)
      throw new UsageError(`${flag} takes a number of seconds greater than 0, not "${text}"`);
    value = number;
  }
  return { rest, value };
}
