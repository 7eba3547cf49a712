// The small pure pieces of the CLI: --wait parsing, the outcome a --wait looks for, colour rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeOptionalNumber } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/command.js';
import { formatStatus } from '../../../src/cli/status-format.js';
import { styleFor } from '../../../src/cli/style.js';
import { groupOutcome } from '../../../src/cli/wait-outcome.js';
import { healthySnapshot } from '../control/fake-backend.js';

test('--wait takes an optional number of seconds', () => {
  assert.deepEqual(takeOptionalNumber(['web', '--wait'], '--wait', 60), { rest: ['web'], value: 60 });
  assert.deepEqual(takeOptionalNumber(['web', '--wait', '30', '--demo'], '--wait', 60), {
    rest: ['web', '--demo'],
    value: 30,
  });
  assert.deepEqual(takeOptionalNumber(['--wait=2.5', 'web'], '--wait', 60), { rest: ['web'], value: 2.5 });
  assert.deepEqual(takeOptionalNumber(['web'], '--wait', 60), { rest: ['web'], value: undefined });
  assert.deepEqual(takeOptionalNumber(['--', '--wait'], '--wait', 60), {
    rest: ['--', '--wait'],
    value: undefined,
  });
  assert.throws(() => takeOptionalNumber(['--wait=soon'], '--wait', 60), UsageError);
});

test('the outcome of group commands in a snapshot', () => {
  const status = healthySnapshot(); // web online on s1
  assert.deepEqual(groupOutcome({ op: 'group-start', group: 'web' }, status, false), {
    done: true,
    ok: true,
    message: 'group web is online on s1',
  });
  assert.equal(groupOutcome({ op: 'group-move', group: 'web', to: 's2' }, status, false).done, false);
  assert.equal(groupOutcome({ op: 'group-stop', group: 'web' }, status, false).done, false);
  assert.deepEqual(groupOutcome({ op: 'group-stop', group: 'nope' }, status, false), {
    done: true,
    ok: false,
    message: 'group nope is not in the status of s1',
  });
  Object.assign(status.groups[0] ?? {}, { state: 'failed' });
  assert.equal(groupOutcome({ op: 'group-start', group: 'web' }, status, true).done, false, 'stale failure');
  assert.deepEqual(groupOutcome({ op: 'group-start', group: 'web' }, status, false), {
    done: true,
    ok: false,
    message: 'group web is failed on s1; see vigil status and vigil logs tail',
  });
});

test('colour only on a terminal without NO_COLOR; the text is the same without it', () => {
  assert.equal(styleFor({ isTTY: false }, {}).bad('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '1' }).bad('x'), 'x');
  const colour = styleFor({ isTTY: true }, {});
  assert.notEqual(colour.bad('x'), 'x');
  const plain = formatStatus(healthySnapshot(), styleFor({ isTTY: false }, {}));
  const coloured = formatStatus(healthySnapshot(), colour);
  // eslint-disable-next-line no-control-regex
  assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), plain);
});
