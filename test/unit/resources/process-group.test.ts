import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, MAX_LINE_LENGTH } from '../../../src/resources/lines.js';
import { describeExit, runCommand } from '../../../src/resources/process-group.js';

test('runCommand reports the exit code, or the signal that ended the command', async () => {
  const exited = await runCommand('exit 4', { timeoutMs: 5000, graceMs: 100 });
  assert.equal(exited.code, 4);
  assert.equal(describeExit(exited), 'exited with code 4');
  const killed = await runCommand('kill -KILL $$', { timeoutMs: 5000, graceMs: 100 });
  assert.equal(killed.code, null);
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(describeExit(killed), 'was killed by SIGKILL');
});

test('runCommand returns when the shell exits even if a background process keeps the pipes open', async () => {
  // The background sleep inherits stdout; the result must not wait for it. It is killed afterwards.
  const result = await runCommand('sleep 30 & echo $!', { timeoutMs: 5000, graceMs: 100 });
  assert.equal(result.code, 0);
  const background = Number(result.lastLines[0]);
  assert.ok(background > 1);
  process.kill(background, 'SIGKILL');
});

test('lines are split across chunks, CRLF is trimmed and very long lines come in pieces', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push(Buffer.from('one\r\ntw'));
  splitter.push(Buffer.from('o\nthree'));
  splitter.push(Buffer.from('x'.repeat(MAX_LINE_LENGTH + 10)));
  splitter.end();
  assert.deepEqual(lines, ['one', 'two', `three${'x'.repeat(MAX_LINE_LENGTH - 5)}`, 'x'.repeat(15)]);
});
