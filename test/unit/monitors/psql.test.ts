// psql against a real throwaway PostgreSQL on loopback (skipped, saying why, where it is not installed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { postgresMissing, startPostgres, type Server } from './databases.js';
import { checkOnce } from './helpers.js';
import { CLOSED_PORT, listen, type Listening } from './servers.js';

const PORT = 45850;
const SILENT_PORT = 45851;
const PASSWORD = 'pg-s3cret-Pw';
const missing = postgresMissing();

describe('psql', { skip: missing }, () => {
  let server: Server | undefined;
  let silent: Listening | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-psql-test-'));
  const good = join(dir, 'good.password');
  const wrong = join(dir, 'wrong.password');
  writeFileSync(good, `${PASSWORD}\n`, { mode: 0o600 });
  writeFileSync(wrong, 'not-the-Pw\n', { mode: 0o600 });
  const params = { host: '127.0.0.1', port: PORT, user: 'vigil', passwordFile: good };

  before(async () => {
    server = await startPostgres(PORT, 'vigil', PASSWORD);
    silent = await listen(SILENT_PORT, () => {});
  });
  after(async () => {
    silent?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a check and makes sure no password shows in the detail or the logs. */
  async function check(extra: Record<string, unknown>, timeoutMs?: number) {
    const result = await checkOnce('psql', { ...params, ...extra }, timeoutMs);
    for (const secret of [PASSWORD, 'not-the-Pw'])
      assert.ok(!`${result.detail}${result.logs}`.includes(secret), `a password leaked: ${result.detail}`);
    return result;
  }

  test('SELECT 1 by default', async () => {
    const result = await check({});
    assert.equal(result.ok, true, result.detail);
    assert.match(result.detail, /^PostgreSQL vigil@127\.0\.0\.1:45850: SELECT 1 returned "1" in \d+ ms$/);
  });

  test('expectValue compares the first column of the first row', async () => {
    const same = await check({ query: 'SELECT current_user', expectValue: 'vigil' });
    assert.equal(same.ok, true, same.detail);
    const other = await check({ query: 'SELECT pg_is_in_recovery()', expectValue: 'true' });
    assert.equal(other.ok, false);
    assert.match(other.detail, /SELECT pg_is_in_recovery\(\) returned "false" in \d+ ms, expected "true"$/);
  });

  test('a wrong password fails without showing either password', async () => {
    const result = await check({ passwordFile: wrong });
    assert.equal(result.ok, false);
    assert.match(result.detail, /password authentication failed for user "vigil"/);
  });

  test('a failing query fails with the server message', async () => {
    const result = await check({ query: 'SELECT * FROM no_such_table' });
    assert.equal(result.ok, false);
    assert.match(result.detail, /relation "no_such_table" does not exist/);
  });

  test('a database that does not exist fails', async () => {
    const result = await check({ database: 'nosuchdb' });
    assert.equal(result.ok, false);
    assert.match(
      result.detail,
      /^PostgreSQL vigil@127\.0\.0\.1:45850\/nosuchdb: database "nosuchdb" does not exist/,
    );
  });

  test('an unreadable passwordFile is named', async () => {
    const result = await check({ passwordFile: join(dir, 'missing') });
    assert.equal(result.ok, false);
    assert.match(result.detail, /cannot read passwordFile .*\/missing: ENOENT/);
  });

  test('connection refused', async () => {
    const result = await check({ port: CLOSED_PORT });
    assert.equal(result.ok, false);
    assert.equal(result.detail, `PostgreSQL vigil@127.0.0.1:${CLOSED_PORT}: connection refused`);
  });

  test('a server that never answers times out through the signal', async () => {
    const began = performance.now();
    const result = await check({ port: SILENT_PORT }, 500);
    assert.equal(result.ok, false);
    assert.match(result.detail, /^PostgreSQL vigil@127\.0\.0\.1:45851: timed out after \d+ ms$/);
    assert.ok(performance.now() - began < 4000, 'the check did not give up promptly');
  });
});

if (missing !== undefined) test(`psql tests skipped: ${missing}`, { skip: missing }, () => {});
