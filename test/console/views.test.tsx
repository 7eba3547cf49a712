import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { clusterModel } from '../../src/console/data/cluster-model.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { KEYMAP } from '../../src/console/keymap.js';
import { loadTheme, themeNames } from '../../src/console/theme.js';
import { degraded, healthy, partitioned } from './fixtures.js';
import { changedFrom, helpOpen, ready, shows, type } from './screen.js';

const TAB = '\t';

async function screens(nodes: ReturnType<typeof healthy>, theme = loadTheme({ env: {} }).theme) {
  const store = new StaticStore(nodes);
  const app = render(<App store={store} theme={theme} rows={40} bell={() => {}} />);
  const frames: string[] = [await shows(app, /cluster demo/)];
  for (let pane = 1; pane < 4; pane++) {
    app.stdin.write(TAB);
    frames.push(await changedFrom(app, frames[pane - 1] as string));
  }
  app.unmount();
  return {
    tree: frames[0] as string,
    heartbeat: frames[1] as string,
    alerts: frames[2] as string,
    logs: frames[3] as string,
  };
}

for (const name of themeNames()) {
  test(`healthy cluster, theme ${name}`, async () => {
    const theme = loadTheme({ name, env: {} }).theme;
    const { tree, heartbeat, alerts, logs } = await screens(healthy(), theme);
    assert.match(tree, /cluster demo ✔ running/);
    assert.match(tree, /web\s+✔ online\s+on s1/);
    assert.match(tree, /web-pid\s+✔ ok .*last ok 3s ago · reactivate 1\/3 · failover 0\/1 → stop group/);
    assert.match(tree, /s1 ✔ connected\s+s2 ✔ connected/);
    assert.doesNotMatch(tree, /disagree/);
    assert.doesNotMatch(tree, /♥/, 'a health score shown where the status has none');
    assert.match(heartbeat, /✔ lan1 up 0\.4ms/);
    assert.match(alerts, /no alerts/);
    assert.match(logs, /logs of every node \(merged\)/);
  });

  test(`degraded cluster, theme ${name}`, async () => {
    const theme = loadTheme({ name, env: {} }).theme;
    const { tree, heartbeat, alerts } = await screens(degraded(), theme);
    assert.match(tree, /s3\s+✖ down .*unreachable from this console/);
    assert.match(tree, /s2\s+✔ up\s+♥75 /);
    assert.match(tree, /web-pid\s+✖ error/);
    assert.match(tree, /s3 ✖ unreachable/);
    assert.match(tree, /s3 unreachable: ECONNREFUSED/);
    assert.match(heartbeat, /✖ lan1 down/);
    assert.match(heartbeat, /s3\s+not reachable from this console/);
    assert.match(alerts, /✖ critical/);
    assert.match(alerts, /server s3 is down/);
    assert.match(alerts, /unacked/);
  });

  test(`partitioned cluster, theme ${name}`, async () => {
    const theme = loadTheme({ name, env: {} }).theme;
    const { tree } = await screens(partitioned(), theme);
    assert.match(tree, /nodes disagree: possible partition/);
    assert.match(tree, /group web: s1 says online on s1, s2 says online on s2/);
  });
}

test('a long reason for an unreachable node is shown whole and hides no other node', async () => {
  const nodes = degraded();
  const reason = `host key for 127.0.0.3:29022 changed: ${'x'.repeat(150)}, but /home/ada/.ssh/known_hosts line 7 says SHA256:abc`;
  const s3 = nodes.find((node) => node.name === 's3');
  assert.ok(s3);
  s3.connection = { kind: 'unreachable', reason };
  // The unreachable node first: its reason must not push the others off the line.
  nodes.sort((a, b) => (a.name === 's3' ? -1 : b.name === 's3' ? 1 : 0));
  const { tree } = await screens(nodes);
  assert.match(tree, /nodes: s3 ✖ unreachable {2}s1 ✔ connected {2}s2 ✔ connected/);
  assert.match(tree.replace(/\s*\n\s*/g, ' '), /known_hosts line 7 says SHA256:abc/);
});

test('the cluster model tells down from unreachable and finds disagreements', () => {
  const model = clusterModel({ version: 1, nodes: degraded() });
  assert.deepEqual(model.reachable, ['s1', 's2']);
  assert.deepEqual(model.unreachable, [{ name: 's3', reason: 'ECONNREFUSED' }]);
  assert.equal(model.view?.servers.find((server) => server.name === 's3')?.state, 'down');
  assert.deepEqual(model.disagreements, []);
  const split = clusterModel({ version: 1, nodes: partitioned() });
  assert.ok(split.disagreements.some((line) => line.startsWith('server s1:')));
});

test('help lists every key of the registry; the footer shows the hints', async () => {
  const app = render(
    <App store={new StaticStore(healthy())} theme={loadTheme({ env: {} }).theme} rows={60} />,
  );
  await shows(app, /Tab next pane/);
  app.stdin.write('?');
  const help = await helpOpen(app);
  for (const binding of KEYMAP) assert.ok(help.includes(binding.description), `help lacks ${binding.keys}`);
  assert.match(help, /move GROUP SERVER/);
  app.unmount();
});

test('read-only hides actions from help and refuses them in the palette', async () => {
  const store = new StaticStore(healthy());
  const app = render(<App store={store} theme={loadTheme({ env: {} }).theme} rows={60} readOnly />);
  await ready(app);
  await shows(app, /read-only/);
  app.stdin.write('?');
  const help = await helpOpen(app);
  assert.doesNotMatch(help, /move the selected group/);
  assert.doesNotMatch(help, /acknowledge every alert/);
  assert.doesNotMatch(help, /move GROUP SERVER/);
  app.stdin.write('\x1b');
  await changedFrom(app, help);
  await type(app, ':move web s2\r');
  await shows(app, /read-only/);
  assert.deepEqual(store.sent, []);
  app.unmount();
});
