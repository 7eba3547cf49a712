// docs/cli.md must keep up with the commands: every command has a section, every flag is described.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commands } from '../../../src/cli/commands.js';
import { repo } from './run-vigil.js';

const docs = readFileSync(`${repo}docs/cli.md`, 'utf8');

test('every command has a section in docs/cli.md (config has its own page)', () => {
  const missing = commands
    .filter((command) => command.name !== 'config')
    .filter((command) => !new RegExp(`^## \`vigil ${command.name}( |\`)`, 'm').test(docs))
    .map((command) => command.name);
  assert.deepEqual(missing, []);
});

test('every flag in the usage of a command appears in docs/cli.md', () => {
  const flags = new Set(commands.flatMap((command) => command.usage.match(/--[a-z][a-z-]*/g) ?? []));
  const missing = [...flags].filter((flag) => !docs.includes(`\`${flag}`));
  assert.deepEqual(missing, []);
});
