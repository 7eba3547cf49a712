// What the exit status of an LSB init script action or an OCF resource agent action means. The LSB
// init-script actions and OCF share 1-7 (OCF names them OCF_ERR_*); status has its own LSB codes.

const ACTION_MEANINGS: Record<number, string> = {
  1: 'generic or unspecified error',
  2: 'invalid or excess arguments',
  3: 'unimplemented feature',
  4: 'insufficient privilege',
  5: 'program is not installed',
  6: 'program is not configured',
  7: 'program is not running',
  8: 'running as master (OCF_RUNNING_MASTER)',
  9: 'failed as master (OCF_FAILED_MASTER)',
  126: 'not executable; check its mode',
  127: 'not found; check the path',
};

/** Fixes to suggest for the codes that have an obvious one. */
const ACTION_HINTS: Record<number, string> = {
  2: 'check the parameters in the config',
  4: 'check that vigild runs as root',
  5: 'check that the software is installed on this server',
  6: 'check the parameters and the service configuration',
};

/** "exit code 6 (program is not configured; check the parameters and the service configuration)" */
export function describeActionCode(code: number): string {
  const meaning = ACTION_MEANINGS[code] ?? 'unknown status';
  const hint = ACTION_HINTS[code];
  return `exit code ${code} (${meaning}${hint === undefined ? '' : `; ${hint}`})`;
}

const LSB_STATUS_MEANINGS: Record<number, string> = {
  0: 'running',
  1: 'dead, but a pid file exists',
  2: 'dead, but a lock file exists',
  3: 'not running',
  4: 'status unknown',
};

export function describeLsbStatus(code: number): string {
  return `status exit code ${code} (${LSB_STATUS_MEANINGS[code] ?? 'status unknown'})`;
}
