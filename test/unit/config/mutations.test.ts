// Bad input never crashes the loader: seeded random damage to the examples must always come back
// as problems (or a valid config), never as an exception.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { loadConfigText } from '../../../src/config/index.js';
import { repoPath } from './paths.js';

/** mulberry32: a tiny seeded generator, so a failing seed replays exactly. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const replacements: unknown[] = [
  null,
  0,
  -1,
  1.5,
  '',
  'x',
  '2s',
  true,
  [],
  [1],
  {},
  { type: 'exec' },
  'web/web-app',
];

function damage(value: unknown, next: () => number): unknown {
  if (next() < 0.08) return replacements[Math.floor(next() * replacements.length)];
  if (Array.isArray(value)) {
    const copy = value.map((item) => damage(item, next));
    if (next() < 0.05) copy.push(copy[0]);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(() => next() > 0.05);
    if (next() < 0.05) entries.push(['unexpected', 1]);
    return Object.fromEntries(entries.map(([key, item]) => [key, damage(item, next)]));
  }
  return value;
}

for (const example of ['two-servers-web.yaml', 'three-servers-n-plus-1.yaml']) {
  test(`400 damaged copies of ${example} are reported, never thrown`, () => {
    const original: unknown = parse(readFileSync(repoPath(`examples/${example}`), 'utf8'));
    for (let seed = 1; seed <= 400; seed++) {
      const text = stringify(damage(original, random(seed)));
      let result;
      try {
        result = loadConfigText(text, example);
      } catch (error) {
        assert.fail(`seed ${seed} threw ${(error as Error).stack}\n${text}`);
      }
      const problems = result.ok ? result.warnings : result.problems;
      for (const problem of problems) {
        assert.ok(
          problem.line >= 1 && problem.col >= 1,
          `seed ${seed}: position ${problem.line}:${problem.col}`,
        );
        assert.doesNotMatch(
          problem.message,
          /Invalid input|undefined|\[object Object\]/,
          `seed ${seed}: ${problem.message}`,
        );
      }
    }
  });
}
