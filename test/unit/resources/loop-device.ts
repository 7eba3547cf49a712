// A real ext4 filesystem on a loop device backed by a sparse file, for the disk and Filesystem tests
// (root only). Everything is undone when the test ends, even after a failure: mounts of the device
// (with their users killed), the loop device, the backing file.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const isRoot = process.getuid?.() === 0;
export const rootOnly = { skip: !isRoot && 'needs root (loop devices and mount)' };

export interface LoopDisk {
  /** /dev/loopN */
  device: string;
  /** A temp dir of its own for the image and the mount points, removed only after everything is unmounted. */
  dir: string;
}

/** Creates a 64 MiB sparse image, attaches it to a loop device and makes ext4 on it. */
export function loopDevice(t: TestContext): LoopDisk {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-loop-'));
  const image = join(dir, 'disk.img');
  const fd = openSync(image, 'w');
  ftruncateSync(fd, 64 * 1024 * 1024);
  closeSync(fd);
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  t.after(() => {
    detach(device);
    // Never recurse into a directory that is still a mount point: that would delete the disk's files.
    if (!readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir}/`))
      rmSync(dir, { recursive: true, force: true });
  });
  execFileSync('mkfs.ext4', ['-q', '-F', device], { stdio: 'ignore' });
  return { device, dir };
}

/** Unmounts every mount of `device` (killing its users) and detaches it. */
export function detach(device: string): void {
  for (const mountPoint of mountPointsOf(device).reverse()) {
    spawnSync('fuser', ['-M', '-m', '-k', '-KILL', mountPoint], { stdio: 'ignore' });
    if (spawnSync('umount', [mountPoint], { stdio: 'ignore' }).status !== 0)
      spawnSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  }
  spawnSync('losetup', ['-d', device], { stdio: 'ignore' });
}

/** Where `device` is mounted now (mountinfo source field). */
export function mountPointsOf(device: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.split(' - ')[1]?.split(' ')[1] === device)
    .map((line) => line.split(' ')[4] ?? '')
    .map((path) =>
      path.replace(/\\([0-7]{3})/g, (_all, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    );
}
