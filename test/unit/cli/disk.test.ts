// `vigil disk init`: writes the DISK link header, and never overwrites what is not zeros or this
// cluster's header without --force.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  diskBytes,
  DISK_BLOCK,
  DISK_SLOT_SIZE,
  encodeHeader,
  readHeader,
} from '../../../src/links/disk-layout.js';
import { vigil } from './run-vigil.js';

test('vigil disk init writes the header; a foreign header needs --force', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-disk-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'disk.img');
  writeFileSync(file, '');
  const first = await vigil(['disk', 'init', file, '--cluster', 'prod', '--slots', '4']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /initialised .* for cluster prod: 4 slots/);
  assert.equal(statSync(file).size, diskBytes(4));
  const found = readHeader(readFileSync(file), 'prod');
  assert.equal(found.kind === 'ours' && found.header.slotCount, 4);

  const other = join(dir, 'other.img');
  const foreign = Buffer.concat([
    encodeHeader({ version: 1, slotSize: DISK_SLOT_SIZE, slotCount: 2, cluster: 'other' }),
    Buffer.alloc(2 * DISK_SLOT_SIZE, 9),
  ]);
  writeFileSync(other, foreign);
  const refused = await vigil(['disk', 'init', other, '--cluster', 'prod']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refusing to initialise .*belongs to cluster "other", not "prod".*--force/);
  assert.deepEqual(readFileSync(other), foreign);

  const forced = await vigil(['disk', 'init', other, '--cluster', 'prod', '--slots', '2', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  const after = readFileSync(other);
  assert.equal(readHeader(after, 'prod').kind, 'ours');
  assert.ok(
    after.subarray(DISK_BLOCK).every((byte) => byte === 0),
    'slots cleared',
  );

  assert.equal((await vigil(['disk', 'init', file])).code, 2);
  assert.equal((await vigil(['disk', 'init', file, '--cluster', 'prod', '--slots', '0'])).code, 2);
  assert.equal((await vigil(['disk', 'init', join(dir, 'missing', 'x'), '--cluster', 'prod'])).code, 1);
});
