import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TOKENS, loadTheme, parseTheme, themeNames } from '../../src/console/theme.js';

const empty = mkdtempSync(join(tmpdir(), 'vigil-themes-'));
after(() => rmSync(empty, { recursive: true, force: true }));

test('every shipped theme validates and sets every token', () => {
  assert.deepEqual(themeNames(), ['default', 'dark', 'light', 'high-contrast', 'monochrome']);
  for (const name of themeNames()) {
    const { theme, warnings } = loadTheme({ name, env: {}, userDir: empty });
    assert.deepEqual(warnings, []);
    assert.equal(theme.name, name);
  }
});

test('NO_COLOR selects monochrome; --theme and VIGIL_THEME choose', () => {
  assert.equal(loadTheme({ env: { NO_COLOR: '1' }, userDir: empty }).theme.name, 'monochrome');
  assert.equal(loadTheme({ env: { NO_COLOR: '1' }, userDir: empty }).theme.monochrome, true);
  assert.equal(loadTheme({ env: { VIGIL_THEME: 'dark' }, userDir: empty }).theme.name, 'dark');
  assert.equal(
    loadTheme({ name: 'light', env: { VIGIL_THEME: 'dark' }, userDir: empty }).theme.name,
    'light',
  );
  assert.equal(loadTheme({ env: {}, userDir: empty }).theme.name, 'default');
});

test('a bad colour names the file and the token, and falls back to default', () => {
  const file = join(empty, 'bad.yaml');
  const text = TOKENS.map((token) => `  ${token}: ${token === 'status.ok' ? 'grean' : 'red'}`).join('\n');
  writeFileSync(file, `tokens:\n${text}\n`);
  const { theme, warnings } = loadTheme({ name: file, env: {}, userDir: empty });
  assert.equal(theme.name, 'default');
  assert.match(
    warnings[0] ?? '',
    /bad\.yaml: token status\.ok: "grean" is not a colour.*using the default theme/,
  );
});

test('missing and unknown tokens, bad YAML and unknown names are reported', () => {
  assert.throws(
    () => parseTheme('x', 'x.yaml', 'tokens:\n  text: red\n'),
    /x\.yaml: token status\.ok is missing/,
  );
  assert.throws(() => parseTheme('x', 'x.yaml', 'tokens:\n  txt: red\n'), /x\.yaml: unknown token "txt"/);
  assert.throws(() => parseTheme('x', 'x.yaml', 'tokens: [1\n'), /x\.yaml: not valid YAML/);
  assert.throws(() => parseTheme('x', 'x.yaml', 'colours: {}\n'), /x\.yaml: "tokens" is missing/);
  assert.match(loadTheme({ name: 'nope', env: {}, userDir: empty }).warnings[0] ?? '', /no theme "nope"/);
});

test('ASCII symbols when the locale is not UTF-8', () => {
  assert.equal(loadTheme({ env: { LANG: 'C' }, userDir: empty }).theme.symbols.ok, '+');
  assert.equal(loadTheme({ env: { LANG: 'en_US.UTF-8' }, userDir: empty }).theme.symbols.ok, '✔');
});
