// fsck before mounting, and what its exit status means (fsck(8): the status is a sum of these bits).
import type { DiskParams } from './disk-params.js';
import { completed, describeProgram, runProgram, type ProgramOptions } from './run-program.js';

export interface FsckOutcome {
  ok: boolean;
  /** What fsck said, for the operator. */
  detail: string;
}

const MEANINGS: [bit: number, meaning: string][] = [
  [1, 'errors were corrected'],
  [2, 'errors were corrected and the system should be rebooted'],
  [4, 'errors were left uncorrected'],
  [8, 'operational error'],
  [16, 'usage or syntax error'],
  [32, 'checking was cancelled by request'],
  [128, 'shared-library error'],
];

/** "errors were left uncorrected, operational error" for status 12. */
export function fsckMeaning(code: number): string {
  if (code === 0) return 'no errors';
  const parts = MEANINGS.filter(([bit]) => (code & bit) !== 0).map(([, meaning]) => meaning);
  return parts.length === 0 ? `unknown status ${code}` : parts.join(', ');
}

/** The filesystem may be mounted after fsck exited with `code`: 0, 1 or 2 (2 only asks for a reboot, which matters for a root filesystem, not for a data disk). */
export function fsckAllowsMount(code: number): boolean {
  return code >= 0 && code <= 3;
}

export function fsckArgs(params: DiskParams): string[] {
  // -p (preen) repairs what is safe without asking; -f forces a full check of a clean filesystem.
  return [
    'fsck',
    '-T',
    '-t',
    params.fsType,
    params.device,
    '--',
    '-p',
    ...(params.fsck === 'always' ? ['-f'] : []),
  ];
}

export async function runFsck(params: DiskParams, options: ProgramOptions): Promise<FsckOutcome> {
  const result = await runProgram(fsckArgs(params), options);
  if (!completed(result))
    return { ok: false, detail: `${describeProgram('fsck', result)}; check the device ${params.device}` };
  const meaning = fsckMeaning(result.code);
  if (fsckAllowsMount(result.code)) return { ok: true, detail: `fsck: ${meaning}` };
  return {
    ok: false,
    detail: `${describeProgram('fsck', result)}: ${meaning}; repair ${params.device} by hand (fsck -t ${params.fsType} ${params.device}) before starting it again`,
  };
}
