// A minimal tar writer (POSIX ustar: regular files and directories) and its gzip, for the log bundle
// of `vigil logs collect`. Everything is built in memory: a bundle is a few logs and small JSON files.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Relative path with / separators; a directory's may end with /. */
  path: string;
  /** File contents; absent for a directory. */
  data?: Buffer | string;
  directory?: boolean;
  /** Permission bits (default 0600 for files, 0700 for directories: the bundle may be sensitive). */
  mode?: number;
  mtime?: Date;
}

const BLOCK = 512;

export function tarGz(entries: TarEntry[]): Buffer {
  return gzipSync(tarArchive(entries));
}

export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.directory ? Buffer.alloc(0) : Buffer.from(entry.data ?? '');
    parts.push(header(entry, data.length));
    if (data.length > 0) {
      parts.push(data);
      const rest = data.length % BLOCK;
      if (rest > 0) parts.push(Buffer.alloc(BLOCK - rest));
    }
  }
  // The end of the archive: two zero blocks.
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const path = checkedPath(entry);
  const { name, prefix } = splitPath(path);
  block.write(name, 0, 100, 'utf8');
  octal(block, 100, 8, entry.mode ?? (entry.directory ? 0o700 : 0o600));
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, Math.floor((entry.mtime ?? new Date()).getTime() / 1000));
  block.write(entry.directory ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as eight spaces.
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

function checkedPath(entry: TarEntry): string {
  const path = entry.directory && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const parts = path.replace(/\/$/, '').split('/');
  if (path.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..'))
    throw new Error(`tar entry "${entry.path}": use a relative path without empty, . or .. parts`);
  if (entry.directory && entry.data !== undefined)
    throw new Error(`tar entry "${entry.path}": a directory has no data`);
  return path;
}

/** ustar keeps up to 100 bytes of name and 155 of prefix, split at a slash. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut > 0; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '')
      return { name, prefix };
  }
  throw new Error(`tar entry "${path}": the path is too long for a ustar archive`);
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1)
    throw new Error(`tar header: ${value} does not fit in ${length - 1} octal digits`);
  block.write(`${digits.padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
