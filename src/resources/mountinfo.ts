// What is mounted where, from /proc/self/mountinfo (proc(5)), and whether a mount is of a given
// device. A device is matched by its device number as well as its path, so /dev/disk/by-uuid/…
// and /dev/sdb1 name the same disk.
import { readFileSync, realpathSync, statSync } from 'node:fs';

export interface MountEntry {
  /** "major:minor" of the filesystem's device. */
  devNumber: string;
  mountPoint: string;
  fsType: string;
  source: string;
  options: string;
}

/** Octal escapes (\040 for a space, …) that the kernel writes in paths. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_all, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator < 0) continue;
    const before = line.slice(0, separator).split(' ');
    const after = line.slice(separator + 3).split(' ');
    if (before.length < 6 || after.length < 2) continue;
    entries.push({
      devNumber: before[2] ?? '',
      mountPoint: unescape(before[4] ?? ''),
      options: before[5] ?? '',
      fsType: after[0] ?? '',
      source: unescape(after[1] ?? ''),
    });
  }
  return entries;
}

export function readMounts(path = '/proc/self/mountinfo'): MountEntry[] {
  return parseMountinfo(readFileSync(path, 'utf8'));
}

/** The device's "major:minor" and canonical path, or undefined when it does not exist. */
export function deviceIdentity(device: string): { devNumber?: string; path: string } | undefined {
  try {
    const stat = statSync(device);
    const path = realpathSync(device);
    if (!stat.isBlockDevice()) return { path };
    // Linux dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 and 20+.
    const rdev = stat.rdev;
    const major = Math.floor(rdev / 256) & 0xfff;
    const minor = (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00);
    return { devNumber: `${major}:${minor}`, path };
  } catch {
    return undefined;
  }
}

/** Canonical form of a directory path for comparing with mountinfo (symlinks resolved when it exists). */
export function canonicalDir(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path.replace(/\/+$/, '') || '/';
  }
}

export function isMountOf(entry: MountEntry, device: { devNumber?: string; path: string }): boolean {
  if (device.devNumber !== undefined && entry.devNumber === device.devNumber) return true;
  try {
    return entry.source.startsWith('/') && realpathSync(entry.source) === device.path;
  } catch {
    return entry.source === device.path;
  }
}

/** The file system mounted on top at `mountPoint` (the last entry wins when mounts are stacked). */
export function mountedAt(mountPoint: string, path = '/proc/self/mountinfo'): MountEntry | undefined {
  const wanted = mountPoint.length > 1 ? mountPoint.replace(/\/+$/, '') : mountPoint;
  return readMounts(path)
    .filter((entry) => entry.mountPoint === wanted)
    .at(-1);
}
