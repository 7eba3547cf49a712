// Writes a log bundle: mode 0600 from the first byte (logs may be sensitive), never half a file
// under the final name, and an existing file is only replaced when asked to.
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class BundleExists extends Error {
  override name = 'BundleExists';
}

/** The bundle could not be written (directory missing, no permission, disk full …). */
export class WriteError extends Error {
  override name = 'WriteError';
}

/** Writes `data` to `path`; throws BundleExists when it exists and `force` is false. Returns the absolute path. */
export function writeBundle(path: string, data: Buffer, force: boolean): string {
  const target = resolve(path);
  if (!force && existsSync(target)) throw existsError(target);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  try {
    write(temporary, target, data, force);
  } catch (error) {
    if (error instanceof BundleExists) throw error;
    throw new WriteError(`cannot write ${target}: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(temporary, { force: true });
  }
  return target;
}

function write(temporary: string, target: string, data: Buffer, force: boolean): void {
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  if (force) return renameSync(temporary, target);
  // link fails if the name was taken meanwhile, where rename would silently replace it.
  try {
    linkSync(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(target);
    throw error;
  }
}

function existsError(path: string): BundleExists {
  return new BundleExists(`${path} exists; give another --out FILE, or --force to replace it`);
}
