// docs/configuration.md must keep up with the schema: every key and every registered type is documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configJsonSchema } from '../../../src/config/index.js';
import { alertTypes, monitorTypes, resourceTypes } from '../../../src/config/types/index.js';
import { repoPath } from './paths.js';

const docs = readFileSync(repoPath('docs/configuration.md'), 'utf8');

function allKeys(node: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => allKeys(item, keys));
  else if (typeof node === 'object' && node !== null) {
    const object = node as Record<string, unknown>;
    if (typeof object.properties === 'object' && object.properties !== null) {
      for (const key of Object.keys(object.properties)) keys.add(key);
    }
    Object.values(object).forEach((value) => allKeys(value, keys));
  }
  return keys;
}

test('every config key appears in docs/configuration.md', () => {
  const missing = [...allKeys(configJsonSchema())].filter((key) => !docs.includes(`\`${key}\``));
  assert.deepEqual(missing, []);
});

test('every registered type has its own section in docs/configuration.md', () => {
  const headings = [...Object.keys(resourceTypes), ...Object.keys(monitorTypes)].map(
    (type) => `#### \`type: ${type}\``,
  );
  const missing = headings.filter((heading) => !docs.includes(heading));
  // Alert channel types are rows of one table (columns padded by the formatter).
  const rows = Object.keys(alertTypes).filter(
    (type) => !new RegExp(`^\\|\\s*\`${type}\`\\s*\\|`, 'm').test(docs),
  );
  assert.deepEqual([...missing, ...rows], []);
});
