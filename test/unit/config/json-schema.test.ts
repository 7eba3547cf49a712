import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configJsonSchema } from '../../../src/config/index.js';
import { alertTypes, monitorTypes, resourceTypes } from '../../../src/config/types/index.js';

type Json = Record<string, unknown>;
const schema = JSON.parse(JSON.stringify(configJsonSchema())) as Json;
const properties = schema.properties as Record<string, Json>;

function at(node: Json, ...keys: string[]): Json {
  return keys.reduce<Json>((current, key) => current[key] as Json, node);
}

test('the JSON Schema is JSON with the top-level keys', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.type, 'object');
  assert.deepEqual(Object.keys(properties).sort(), [
    'alerts',
    'cluster',
    'groups',
    'monitors',
    'operators',
    'partition',
    'servers',
  ]);
  assert.deepEqual(schema.required, ['cluster', 'servers']);
  assert.equal(schema.additionalProperties, false);
});

test('every key has a description', () => {
  const missing: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((item, index) => visit(item, `${path}[${index}]`));
    if (typeof node !== 'object' || node === null) return;
    const object = node as Json;
    if (object.properties && typeof object.properties === 'object') {
      for (const [key, value] of Object.entries(object.properties as Json)) {
        if (typeof (value as Json).description !== 'string') missing.push(`${path}.${key}`);
      }
    }
    for (const [key, value] of Object.entries(object)) visit(value, `${path}.${key}`);
  };
  visit(schema, '');
  assert.deepEqual(missing, []);
});

test('keys with defaults are optional and show the default', () => {
  const timing = at(properties, 'cluster', 'properties', 'timing');
  assert.equal(timing.required, undefined);
  assert.equal(at(timing, 'properties', 'heartbeatInterval').default, '500ms');
  assert.equal(at(timing, 'properties', 'heartbeatInterval').pattern, '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$');
  assert.equal(at(properties, 'cluster', 'properties', 'sshPort').default, 29022);
});

test('each registered type is one variant of its list', () => {
  const variants = (list: Json) =>
    ((list.items as Json).oneOf as Json[]).map((variant) => at(variant, 'properties', 'type').const);
  const resources = at(properties, 'groups', 'items', 'properties', 'resources');
  assert.deepEqual(variants(resources), Object.keys(resourceTypes));
  assert.deepEqual(variants(properties.monitors as Json), Object.keys(monitorTypes));
  assert.deepEqual(variants(properties.alerts as Json), Object.keys(alertTypes));
  for (const variant of (resources.items as Json).oneOf as Json[])
    assert.equal(variant.additionalProperties, false);
});
