// Reboot and poweroff run the configured command (here a recording script that writes a marker
// file), one at a time, and a failing command is logged as failed.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DrasticActions } from '../../../src/agent/drastic-actions.js';
import { createLogger, type LogRecord } from '../../../src/agent/logger.js';
import { loadConfigText } from '../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-drastic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for systemctl: appends its arguments to a marker file, then exits with `code`. */
function recorder(name: string, code = 0): { command: string; marker: string } {
  const script = join(dir, name);
  const marker = join(dir, `${name}.log`);
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${marker}'\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return { command: script, marker };
}

function logger(records: LogRecord[]) {
  return createLogger({ sink: (record) => records.push(record) });
}

test('reboot and poweroff run their own command; a repeat while one runs starts nothing', async () => {
  const reboot = recorder('reboot');
  const poweroff = recorder('poweroff');
  const records: LogRecord[] = [];
  const actions = new DrasticActions(
    { reboot: `${reboot.command} now`, poweroff: `${poweroff.command} off` },
    logger(records),
  );
  await Promise.all([actions.run('reboot', 'lost NP'), actions.run('reboot', 'lost NP again')]);
  assert.equal(readFileSync(reboot.marker, 'utf8'), 'now\n');
  assert.equal(existsSync(poweroff.marker), false);
  await actions.run('poweroff', 'final action of monitor m');
  assert.equal(readFileSync(poweroff.marker, 'utf8'), 'off\n');
  const events = records.map((r) => `${r.event} ${String(r.fields.action)}`);
  assert.deepEqual(events, [
    'drastic-action reboot',
    'drastic-action-returned reboot',
    'drastic-action poweroff',
    'drastic-action-returned poweroff',
  ]);
  assert.equal(records[0]!.fields.reason, 'lost NP');
});

test('a command that fails is logged as failed with its exit', async () => {
  const broken = recorder('broken', 3);
  const records: LogRecord[] = [];
  await new DrasticActions({ reboot: broken.command, poweroff: broken.command }, logger(records)).run(
    'reboot',
    'test',
  );
  const failed = records.find((r) => r.event === 'drastic-action-failed');
  assert.equal(failed?.fields.outcome, 'exited with code 3');
});

test('partition.commands defaults to the forced systemctl commands and reaches the model', () => {
  const base = 'cluster: {name: c}\nservers: [{name: a, lan: [10.0.0.1]}, {name: b, lan: [10.0.0.2]}]\n';
  const plain = loadConfigText(base, 'plain.yaml');
  assert.ok(plain.ok, JSON.stringify(plain));
  assert.deepEqual(plain.model.partition.commands, {
    reboot: 'systemctl reboot --force',
    poweroff: 'systemctl poweroff --force',
  });
  const custom = loadConfigText(
    `${base}partition: {commands: {reboot: /usr/local/bin/hard-reset}}\n`,
    'c.yaml',
  );
  assert.ok(custom.ok, JSON.stringify(custom));
  assert.equal(custom.model.partition.commands?.reboot, '/usr/local/bin/hard-reset');
  const empty = loadConfigText(`${base}partition: {commands: {poweroff: ' '}}\n`, 'e.yaml');
  assert.equal(empty.ok, false);
  assert.match(JSON.stringify(empty), /poweroff/);
});
