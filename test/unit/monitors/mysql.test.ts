// mysql against a real throwaway MariaDB on loopback (skipped, saying why, where it is not installed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mariadbMissing, startMariadb, type Server } from './databases.js';
import { checkOnce } from './helpers.js';
import { CLOSED_PORT, listen, type Listening } from './servers.js';

const PORT = 45860;
const SILENT_PORT = 45861;
const PASSWORD = 'my-s3cret-Pw';
const missing = mariadbMissing();

const setup = `
CREATE USER IF NOT EXISTS 'vigil'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';
CREATE DATABASE IF NOT EXISTS shop;
CREATE TABLE IF NOT EXISTS shop.health (state VARCHAR(16));
DELETE FROM shop.health;
INSERT INTO shop.health VALUES ('ok');
GRANT SELECT ON shop.* TO 'vigil'@'127.0.0.1';
`;

describe('mysql', { skip: missing }, () => {
  let server: Server | undefined;
  let silent: Listening | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mysql-test-'));
  const good = join(dir, 'good.password');
  const wrong = join(dir, 'wrong.password');
  writeFileSync(good, `${PASSWORD}\n`, { mode: 0o600 });
  writeFileSync(wrong, 'not-the-Pw\n', { mode: 0o600 });
  const params = { host: '127.0.0.1', port: PORT, user: 'vigil', passwordFile: good };

  before(async () => {
    server = await startMariadb(PORT, setup);
    silent = await listen(SILENT_PORT, () => {});
  });
  after(async () => {
    silent?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a check and makes sure no password shows in the detail or the logs. */
  async function check(extra: Record<string, unknown>, timeoutMs?: number) {
    const result = await checkOnce('mysql', { ...params, ...extra }, timeoutMs);
    for (const secret of [PASSWORD, 'not-the-Pw'])
      assert.ok(!`${result.detail}${result.logs}`.includes(secret), `a password leaked: ${result.detail}`);
    return result;
  }

  test('SELECT 1 by default', async () => {
    const result = await check({});
    assert.equal(result.ok, true, result.detail);
    assert.match(result.detail, /^MySQL vigil@127\.0\.0\.1:45860: SELECT 1 returned "1" in \d+ ms$/);
  });

  test('expectValue compares the first column of the first row', async () => {
    const query = 'SELECT state FROM health';
    const same = await check({ database: 'shop', query, expectValue: 'ok' });
    assert.equal(same.ok, true, same.detail);
    const other = await check({ database: 'shop', query, expectValue: 'degraded' });
    assert.equal(other.ok, false);
    assert.match(
      other.detail,
      /^MySQL vigil@127\.0\.0\.1:45860\/shop: SELECT state FROM health returned "ok" in \d+ ms, expected "degraded"$/,
    );
  });

  test('a wrong password fails without showing either password', async () => {
    const result = await check({ passwordFile: wrong });
    assert.equal(result.ok, false);
    assert.match(result.detail, /Access denied for user 'vigil'@'127\.0\.0\.1'/);
  });

  test('a failing query fails with the server message', async () => {
    const result = await check({ database: 'shop', query: 'SELECT * FROM no_such_table' });
    assert.equal(result.ok, false);
    assert.match(result.detail, /Table 'shop\.no_such_table' doesn't exist/);
  });

  test('connection refused', async () => {
    const result = await check({ port: CLOSED_PORT });
    assert.equal(result.ok, false);
    assert.equal(result.detail, `MySQL vigil@127.0.0.1:${CLOSED_PORT}: connection refused`);
  });

  test('a server that never answers times out through the signal', async () => {
    const began = performance.now();
    const result = await check({ port: SILENT_PORT }, 500);
    assert.equal(result.ok, false);
    assert.match(result.detail, /^MySQL vigil@127\.0\.0\.1:45861: timed out after \d+ ms$/);
    assert.ok(performance.now() - began < 4000, 'the check did not give up promptly');
  });
});

if (missing !== undefined) test(`mysql tests skipped: ${missing}`, { skip: missing }, () => {});
