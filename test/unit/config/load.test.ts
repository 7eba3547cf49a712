import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProblem, loadConfigFile, loadConfigText, type Problem } from '../../../src/config/index.js';

function problems(yaml: string): Problem[] {
  const result = loadConfigText(yaml, 'c.yaml');
  return result.ok ? result.warnings : result.problems;
}

test('every problem is reported at once, in file order, as FILE:LINE:COL path: message (hint)', () => {
  const found = problems(`cluster:
  name: demo
  timing: {heartbeatInterval: 2}
servers:
  - name: s1
    lan: [10.0.0.1]
    colour: blue
groups:
  - name: g
    policy: [s9]
    resources:
      - {name: r, type: exec, start: /bin/r, dependsOn: [r]}
`).map(formatProblem);
  assert.deepEqual(found, [
    'c.yaml:3:31 cluster.timing.heartbeatInterval: the bare number 2 is not a duration (add a unit, e.g. 2s or 2ms)',
    'c.yaml:7:5 servers[0].colour: unknown key "colour" (allowed here: name, lan, com, disk)',
    'c.yaml:10:14 groups[0].policy[0]: unknown server "s9" (servers are: s1)',
    'c.yaml:12:58 groups[0].resources[0].dependsOn[0]: dependency cycle: r -> r (resources start in dependency order; remove one of these dependsOn entries)',
  ]);
});

test('warnings are returned with a valid config and do not fail it', () => {
  const result = loadConfigText(
    `cluster: {name: w}
servers:
  - {name: a, lan: [10.0.0.1]}
  - {name: b, lan: [10.0.0.2]}
groups:
  - {name: g, exclusion: lonely, resources: [{name: r, type: exec, start: /bin/r}]}
`,
    'w.yaml',
  );
  assert.ok(result.ok);
  assert.deepEqual(result.warnings.map(formatProblem), [
    'w.yaml:6:26 groups[0].exclusion: warning: exclusion rule "lonely" is used by group "g" only, so it has no effect (give the same rule to every group that must not share a server with it)',
  ]);
});

test('problems carry their parts separately for other tools', () => {
  const [problem] = problems('cluster: {name: x}\nservers: [{name: a, lan: [10.0.0.1], com: tty}]\n');
  assert.deepEqual(problem, {
    file: 'c.yaml',
    line: 2,
    col: 43,
    path: 'servers[0].com',
    message: '"tty" is not an absolute path',
    hint: 'write the full path, starting with /',
    severity: 'error',
  });
});

test('a file that cannot be read is a read error, not a config problem', async () => {
  const result = await loadConfigFile('/nonexistent/vigil.yaml');
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.readError, 'cannot read /nonexistent/vigil.yaml: no such file');
  assert.deepEqual(result.problems, []);
});

test('alias bombs are refused, not expanded', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 8; i++)
    lines.push(
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(97 + i)}`)
        .join(', ')}]`,
    );
  const found = problems(lines.join('\n'));
  assert.equal(found.length, 1);
  assert.match(found[0]?.message ?? '', /^YAML: /);
});

test('keys that are not identifiers are quoted in paths', () => {
  const found = problems(`cluster: {name: q}
servers: [{name: a, lan: [10.0.0.1]}]
groups:
  - name: g
    resources:
      - {name: r, type: exec, start: /bin/r, env: {"MY VAR": x}}
`);
  assert.equal(found[0]?.path, 'groups[0].resources[0].env["MY VAR"]');
  assert.equal(found[0]?.message, '"MY VAR" is not an environment variable name');
});

test('a webhook, a witness and IPv6 addresses are accepted', () => {
  const result = loadConfigText(
    `cluster: {name: v6}
servers:
  - {name: a, lan: ["fd00::1"]}
  - {name: b, lan: ["fd00::2"]}
partition:
  methods: [{witness: {url: "https://witness.example.net"}}, majority]
groups:
  - name: g
    resources: [{name: ip, type: fip, address: "fd00::100/64", device: eth0, arping: false}]
alerts:
  - {name: hook, type: webhook, url: "https://hooks.example.net/vigil", minSeverity: info}
`,
    'v6.yaml',
  );
  assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
});

test('fip duplicateCheck takes whole seconds or a duration, up to 10 s', () => {
  const withCheck = (value: string) =>
    problems(`cluster: {name: demo}
servers:
  - {name: s1, lan: [10.0.0.1]}
groups:
  - name: g
    resources: [{name: ip, type: fip, address: 10.0.0.100/24, device: eth0, duplicateCheck: ${value}}]
`).map(formatProblem);
  for (const ok of ['0', '1', '10', '300ms', '2s', '10s']) assert.deepEqual(withCheck(ok), [], ok);
  for (const bad of ['11', '11s', '1.5', 'soon'])
    assert.match(withCheck(bad).join('\n'), /groups\[0\]\.resources\[0\]\.duplicateCheck/, bad);
});
