// Failover drills end to end on three real agents: `vigil drill run` injects each fault, follows
// the failover, and writes a report whose every step is an event in some agent's own log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillState } from '../../../src/drills/types.js';
import { isProcessRunning } from '../../../src/resources/proc.js';
import { runCli, TestCluster, waitFor } from './harness.js';

let cluster: TestCluster;
let out: string;

before(async () => {
  cluster = await TestCluster.start({ heartbeatPort: 46200, peerPort: 46201, webPort: 46280 });
  out = mkdtempSync(join(tmpdir(), 'vigil-drills-'));
  await cluster.healthy(30_000);
});

after(async () => {
  await cluster?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

async function webServer(): Promise<string> {
  const web = (await cluster.status('s2')).groups.find((g) => g.name === 'web');
  assert.equal(web?.state, 'online');
  return web.server as string;
}

/** Runs the drill through the CLI; returns the JSON report it wrote and the printed lines. */
async function runDrill(args: string[], from: string): Promise<{ drill: DrillState; stdout: string }> {
  const dir = join(out, args[0]);
  const result = await cluster.cli(['drill', 'run', ...args, '--out', dir], from, 120_000);
  assert.equal(result.code, 0, `drill ${args.join(' ')} exits 0: ${result.stdout}${result.stderr}`);
  const json = readdirSync(dir).find((f) => f.endsWith('.json'));
  const markdown = readdirSync(dir).find((f) => f.endsWith('.md'));
  assert.ok(json && markdown, `the report is written as JSON and Markdown in ${dir}`);
  const drill = JSON.parse(readFileSync(join(dir, json), 'utf8')) as DrillState;
  assert.match(readFileSync(join(dir, markdown), 'utf8'), /\| fault injected \| 0 ms \|/);
  return { drill, stdout: result.stdout };
}

/** Every step is the same event at the same time in the log file of the agent it names. */
function checkAgainstLogs(drill: DrillState, steps: string[], order = steps): void {
  assert.deepEqual(
    steps.filter((s) => !drill.timeline.some((t) => t.step === s)),
    [],
    `all steps present: ${JSON.stringify(drill.timeline)}`,
  );
  const injectedAt = Date.parse(drill.timeline[0].at);
  for (const step of drill.timeline) {
    const events = cluster.logEvents(step.server, step.event);
    const same = events.find((e) => Math.abs(Date.parse(e.at) - Date.parse(step.at)) <= 2);
    assert.ok(same, `${step.step}: ${step.event} at ${step.at} is in ${step.server}'s log`);
    assert.equal(step.sinceMs, Date.parse(step.at) - injectedAt, `${step.step}: time since the fault`);
  }
  const times = order.map((s) => drill.timeline.find((t) => t.step === s)?.sinceMs ?? -1);
  for (let i = 1; i < times.length; i++)
    assert.ok(
      times[i - 1] <= times[i],
      `${order[i - 1]} (${times[i - 1]} ms) before ${order[i]} (${times[i]} ms)`,
    );
}

test('dummy-failure: the monitor fails on the server of web, web fails over, green on the new server', async () => {
  const source = await webServer();
  const { drill, stdout } = await runDrill(
    ['dummy-failure', '--target', 'web-pid', '--duration', '15'],
    's3',
  );
  assert.equal(drill.state, 'done', drill.message);
  assert.equal(drill.source, source);
  assert.equal(drill.faultServer, source);
  assert.match(stdout, /fault injected/);
  checkAgainstLogs(drill, ['injected', 'detected', 'stopped', 'started', 'green']);
  const started = drill.timeline.find((t) => t.step === 'started');
  assert.notEqual(started?.server, source, 'web started on another server');
  assert.match(drill.timeline.find((t) => t.step === 'detected')?.detail ?? '', /dummy failure \(drill\)/);
  await waitFor(
    'the dummy failure taken back',
    async () => !(await cluster.status(source)).monitors.some((m) => m.dummyFailure),
    30_000,
  );
  await cluster.healthy(30_000);
});

test('process-stop: the service process is killed; web recovers and checks green', async () => {
  const source = await webServer();
  const pid = cluster.servicePid(source, 'web', 'web-service');
  assert.ok(pid);
  const { drill } = await runDrill(
    ['process-stop', '--target', 'web/web-service', '--duration', '5', '--url', cluster.webUrl],
    's1',
  );
  assert.equal(drill.state, 'done', drill.message);
  assert.equal(isProcessRunning(pid), false, 'the old service process is gone');
  assert.match(drill.timeline.find((t) => t.step === 'green')?.detail ?? '', /answered 200/);
  checkAgainstLogs(drill, ['injected', 'detected', 'stopped', 'started', 'green']);
  await cluster.healthy(30_000);
});

test('heartbeat-loss: the server of web goes silent, loses, and web starts elsewhere', async () => {
  const source = await webServer();
  const from = ['s1', 's2', 's3'].find((s) => s !== source) as string;
  const { drill } = await runDrill(['heartbeat-loss', '--target', source, '--duration', '8'], from);
  assert.equal(drill.state, 'done', drill.message);
  // The silent server and its peers decide on their own clocks: no order between detection and decision.
  checkAgainstLogs(
    drill,
    ['injected', 'detected', 'np-decided', 'started', 'green'],
    ['injected', 'detected', 'started', 'green'],
  );
  assert.ok(
    drill.timeline.some((t) => t.step === 'stopped'),
    'stopped on the silent server',
  );
  assert.notEqual(drill.timeline.find((t) => t.step === 'started')?.server, source);
  const detected = drill.timeline.find((t) => t.step === 'detected');
  assert.notEqual(detected?.server, source, 'a peer of the silent server detected it');
  assert.match(detected?.detail ?? '', new RegExp(`lost every heartbeat link to ${source}`));
  await cluster.healthy(40_000);
});

test('bad drills are refused with the reason', async () => {
  const unknown = await cluster.cli(
    ['drill', 'run', 'dummy-failure', '--target', 'nope', '--out', out],
    's1',
  );
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no monitor nope; monitors: web-pid/);
  const notExec = await cluster.cli(
    ['drill', 'run', 'process-stop', '--target', 'web/missing', '--out', out],
    's1',
  );
  assert.equal(notExec.code, 1);
  assert.match(notExec.stderr, /no resource web\/missing/);
});

test('monitor dummy-failure on|off: status shows it until switched off', async () => {
  const source = await webServer();
  const idle = ['s1', 's2', 's3'].find((s) => s !== source) as string;
  const on = await cluster.cli(['monitor', 'dummy-failure', 'web-pid', 'on', '--server', idle], 's1');
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, new RegExp(`web-pid reports "dummy failure \\(drill\\)" on ${idle}`));
  const status = await cluster.status(idle);
  assert.equal(status.monitors.find((m) => m.name === 'web-pid')?.dummyFailure, true);
  const text = await cluster.cli(['status'], idle);
  assert.match(text.stdout, /\(dummy failure\)/);
  const off = await cluster.cli(['monitor', 'dummy-failure', 'web-pid', 'off'], 's2');
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, new RegExp(`switched off on ${idle}`));
  assert.equal(
    (await cluster.status(idle)).monitors.find((m) => m.name === 'web-pid')?.dummyFailure,
    undefined,
  );
  assert.equal(await webServer(), source, 'web stayed where it was (the switched server did not run it)');
});

test('drill list names every drill; drill stop takes the fault back at once', async () => {
  const list = await cluster.cli(['drill', 'list'], 's1');
  assert.equal(list.code, 0, list.stderr);
  for (const kind of ['dummy-failure', 'heartbeat-loss', 'process-stop'])
    assert.match(list.stdout, new RegExp(`^${kind} `, 'm'));
  const source = await webServer();
  const dir = join(out, 'stopped');
  const running = runCli(
    [
      'drill',
      'run',
      'dummy-failure',
      '--target',
      'web-pid',
      '--duration',
      '600',
      '--out',
      dir,
      '--socket',
      cluster.server('s2').socket,
    ],
    120_000,
  );
  const started = await waitFor(
    'the drill started on s2',
    () => cluster.logEvents('s2', 'drill-started').at(-1),
    20_000,
  );
  const stopped = await cluster.cli(['drill', 'stop', String(started.fields.drill)], 's2');
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, new RegExp(`fault taken back on ${source}`));
  const result = await running;
  assert.equal(result.code, 1, 'a stopped drill is not a green one');
  assert.match(result.stdout, /stopped: /);
  const reverted = cluster.logEvents(source, 'drill-fault-reverted').at(-1);
  assert.equal(reverted?.fields.why, 'on demand');
  assert.equal(reverted?.fields.drill, started.fields.drill);
  await cluster.healthy(40_000);
});
