// Writes a log bundle: mode 0600 from the first byte (logs may be sensitive), never half a file
// under the final name, and an existing file is only replaced when asked to.
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class BundleExists extends Error {
  override name = 'BundleExists';
}

/** Writes `data` to `path`; throws BundleExists when it exists and `force` is false. Returns the absolute path. */
export function writeBundle(path: string, data: Buffer, force: boolean): string {
  const target = resolve(path);
  if (!force && existsSync(target)) throw existsError(target);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    if (force) renameSync(temporary, target);
    else {
      // link fails if the name was taken meanwhile, where rename would silently replace it.
      try {
        linkSync(temporary, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(target);
        throw error;
      }
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  return target;
}

function existsError(path: string): BundleExists {
  return new BundleExists(`${path} exists; give another --out FILE, or --force to replace it`);
}
