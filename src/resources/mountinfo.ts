// /proc/self/mountinfo, parsed: which file system is mounted where (see proc(5)).
import { readFileSync } from 'node:fs';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** Paths in mountinfo escape space, tab, newline and backslash as \ooo. */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields[4] === undefined) continue;
    entries.push({
      mountPoint: unescapeOctal(fields[4]),
      fsType: fields[separator + 1] ?? '',
      source: unescapeOctal(fields[separator + 2] ?? ''),
    });
  }
  return entries;
}

/** The file system mounted on top at `mountPoint` (the last entry wins when mounts are stacked). */
export function mountedAt(mountPoint: string, path = '/proc/self/mountinfo'): MountEntry | undefined {
  const wanted = mountPoint.length > 1 ? mountPoint.replace(/\/+$/, '') : mountPoint;
  return parseMountinfo(readFileSync(path, 'utf8'))
    .filter((entry) => entry.mountPoint === wanted)
    .at(-1);
}
