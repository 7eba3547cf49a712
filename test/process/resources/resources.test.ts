// Real vigild agents on loopback (two servers, ports 45400-45402) running the new resource types:
// - a disk resource on a real ext4 loop device moves between servers with the file written on it
//   (root only). Both agents run on this one host, so the move really unmounts the filesystem on s1
//   and mounts it again on s2 at the same mount point: the same device, as a shared disk would be.
// - exec resources in a diamond of dependsOn write timestamps: starts in dependency order with the
//   independent branches overlapping, stops in reverse, and a failing start stops what was started.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { connectUnix, type StatusSnapshot } from '../../../src/control/index.js';
import { startAgent, type AgentHandle } from '../../../src/demo/agent-process.js';
import { runCli, waitFor } from '../cluster/harness.js';
import { detach, mountPointsOf } from '../../unit/resources/loop-device.js';
import { execFileSync } from 'node:child_process';

const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'vigil-process-res-'));
const servers = [
  { name: 's1', address: '127.0.0.1' },
  { name: 's2', address: '127.0.0.2' },
];
const agents = new Map<string, AgentHandle>();
const timeline = join(dir, 'timeline.log');
const mountPoint = join(dir, 'data');
let device: string | undefined;

const socket = (server: string) => join(dir, server, 'vigild.sock');
const cli = (args: string[], server = 's1') => runCli([...args, '--socket', socket(server)], 30_000);

/** One exec resource whose start and stop append "ACTION-begin|end NAME NANOSECONDS" to the timeline. */
function step(name: string, dependsOn: string[], failStart = false) {
  const script = join(dir, 'step.sh');
  return {
    name,
    type: 'exec',
    start: `${script} start ${name}${failStart ? ' fail' : ''}`,
    stop: `${script} stop ${name}`,
    dependsOn,
    startTimeout: '10s',
    stopTimeout: '10s',
  };
}

function diamond(group: string, failD: boolean) {
  // A, then B and C (both need only A) together, then D (needs B and C).
  return {
    name: group,
    policy: ['s1'],
    startup: 'manual',
    resources: [
      step(`${group}-a`, []),
      step(`${group}-b`, [`${group}-a`]),
      step(`${group}-c`, [`${group}-a`]),
      step(`${group}-d`, [`${group}-b`, `${group}-c`], failD),
    ],
  };
}

before(async () => {
  writeFileSync(
    join(dir, 'step.sh'),
    `#!/bin/sh
echo "$1-begin $2 $(date +%s%N)" >> '${timeline}'
sleep 0.4
if [ "$3" = fail ]; then echo "$1-failed $2 $(date +%s%N)" >> '${timeline}'; exit 1; fi
echo "$1-end $2 $(date +%s%N)" >> '${timeline}'
`,
  );
  chmodSync(join(dir, 'step.sh'), 0o755);
  const groups: unknown[] = [diamond('diamond', false), diamond('rollback', true)];
  if (isRoot) {
    const image = join(dir, 'disk.img');
    writeFileSync(image, '');
    execFileSync('truncate', ['-s', '64M', image]);
    device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
    execFileSync('mkfs.ext4', ['-q', '-F', device], { stdio: 'ignore' });
    groups.push({
      name: 'data',
      policy: ['s1', 's2'],
      resources: [
        {
          name: 'data-disk',
          type: 'disk',
          device,
          mountPoint,
          fsType: 'ext4',
          startTimeout: '30s',
          stopTimeout: '30s',
        },
      ],
    });
  }
  const keyFile = join(dir, 'cluster.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const config = {
    cluster: {
      name: 'resources',
      keyFile,
      heartbeatPort: 45400,
      peerPort: 45401,
      sshPort: 45402,
      timing: {
        heartbeatInterval: '200ms',
        heartbeatTimeout: '1s',
        npDeadline: '500ms',
        fenceDeadline: '1s',
      },
    },
    servers: servers.map((s) => ({ name: s.name, lan: [s.address] })),
    partition: { methods: ['majority'], action: 'stop-service' },
    groups,
  };
  writeFileSync(join(dir, 'cluster.yaml'), stringify(config));
  for (const { name } of servers) {
    mkdirSync(join(dir, name), { recursive: true });
    agents.set(
      name,
      startAgent({
        name,
        configFile: join(dir, 'cluster.yaml'),
        stateDir: join(dir, name, 'state'),
        socket: socket(name),
        logFile: join(dir, name, 'vigild.log'),
        outputFile: join(dir, name, 'output.log'),
      }),
    );
  }
  await waitFor(
    'both agents up and seeing each other',
    async () =>
      (await status('s1')).servers.every((s) => s.state === 'up') &&
      (await status('s2')).servers.every((s) => s.state === 'up'),
    30_000,
  );
});

after(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop(10_000)));
  if (device !== undefined) detach(device);
  if (!readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir}/`))
    rmSync(dir, { recursive: true, force: true });
});

async function status(server: string): Promise<StatusSnapshot> {
  const client = await connectUnix(socket(server), 2000);
  try {
    return await client.call('status.get', {}, 2000);
  } finally {
    client.close();
  }
}

interface Mark {
  what: string;
  name: string;
  at: number;
}

function marks(): Mark[] {
  if (!existsSync(timeline)) return [];
  return readFileSync(timeline, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [what, name, at] = line.split(' ');
      return { what: what ?? '', name: name ?? '', at: Number(at) / 1e6 };
    });
}

/** The time of the first mark `what` of resource `name`; fails the test if there is none. */
function at(list: Mark[], what: string, name: string): number {
  const mark = list.find((m) => m.what === what && m.name === name);
  assert.ok(
    mark,
    `no ${what} of ${name} in the timeline:\n${list.map((m) => `${m.what} ${m.name}`).join('\n')}`,
  );
  return mark.at;
}

test('a diamond of exec resources starts in dependency order, B and C together, and stops in reverse', async () => {
  const started = await cli(['group', 'start', 'diamond', '--wait', '60']);
  assert.equal(started.code, 0, started.stdout + started.stderr);
  const list = marks().filter((m) => m.name.startsWith('diamond-'));
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => `diamond-${x}`) as [string, string, string, string];
  assert.ok(at(list, 'start-end', a) <= at(list, 'start-begin', b), 'B starts after A is online');
  assert.ok(at(list, 'start-end', a) <= at(list, 'start-begin', c), 'C starts after A is online');
  // Independent branches run in parallel: each began before the other ended.
  assert.ok(at(list, 'start-begin', b) < at(list, 'start-end', c), 'B and C overlap');
  assert.ok(at(list, 'start-begin', c) < at(list, 'start-end', b), 'C and B overlap');
  assert.ok(
    Math.max(at(list, 'start-end', b), at(list, 'start-end', c)) <= at(list, 'start-begin', d),
    'D after B and C',
  );

  const stopped = await cli(['group', 'stop', 'diamond', '--wait', '60']);
  assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
  const all = marks().filter((m) => m.name.startsWith('diamond-'));
  assert.ok(
    at(all, 'stop-end', d) <= Math.min(at(all, 'stop-begin', b), at(all, 'stop-begin', c)),
    'D stops first',
  );
  assert.ok(
    at(all, 'stop-begin', b) < at(all, 'stop-end', c) && at(all, 'stop-begin', c) < at(all, 'stop-end', b),
    'B and C stop together',
  );
  assert.ok(
    Math.max(at(all, 'stop-end', b), at(all, 'stop-end', c)) <= at(all, 'stop-begin', a),
    'A stops last',
  );
});

test('a failing start stops what was started, in reverse dependency order', async () => {
  const started = await cli(['group', 'start', 'rollback']);
  assert.equal(started.code, 0, started.stdout + started.stderr);
  await waitFor(
    'A stopped after D failed',
    () => marks().some((m) => m.what === 'stop-end' && m.name === 'rollback-a'),
    30_000,
  );
  const stop = await cli(['group', 'stop', 'rollback', '--wait', '60']);
  assert.equal(stop.code, 0, stop.stdout + stop.stderr);
  const list = marks().filter((m) => m.name.startsWith('rollback-'));
  const failedAt = at(list, 'start-failed', 'rollback-d');
  for (const x of ['a', 'b', 'c'])
    assert.ok(at(list, 'start-end', `rollback-${x}`) < failedAt, `${x} was online before D failed`);
  for (const x of ['b', 'c']) {
    assert.ok(at(list, 'stop-begin', `rollback-${x}`) >= failedAt, `${x} is stopped after the failure`);
    assert.ok(
      at(list, 'stop-end', `rollback-${x}`) <= at(list, 'stop-begin', 'rollback-a'),
      `${x} stops before A`,
    );
  }
});

test(
  'a disk group moves: unmounted on s1, mounted on s2, the file written through s1 is there',
  { skip: !isRoot && 'needs root (loop device, mount)' },
  async () => {
    await waitFor(
      'data online on s1',
      async () => {
        const g = (await status('s2')).groups.find((x) => x.name === 'data');
        return g?.state === 'online' && g.server === 's1';
      },
      30_000,
    );
    assert.deepEqual(mountPointsOf(device as string), [mountPoint]);
    writeFileSync(join(mountPoint, 'written-on-s1.txt'), 'hello from s1\n');
    const moved = await cli(['group', 'move', 'data', '--to', 's2', '--wait', '60'], 's2');
    assert.equal(moved.code, 0, moved.stdout + moved.stderr);
    assert.match(moved.stdout, /group data is online on s2/);
    assert.deepEqual(mountPointsOf(device as string), [mountPoint], 'mounted once, by s2');
    assert.equal(readFileSync(join(mountPoint, 'written-on-s1.txt'), 'utf8'), 'hello from s1\n');
    const s1Log = readFileSync(join(dir, 's1', 'vigild.log'), 'utf8');
    const s2Log = readFileSync(join(dir, 's2', 'vigild.log'), 'utf8');
    assert.match(
      s1Log,
      /"event":"resource-stop-done".*"resource":"data-disk"|"resource":"data-disk".*"event":"resource-stop-done"/,
    );
    assert.match(s2Log, /mounted \/dev\/loop\d+ on /);
  },
);

test('vigil resource stop and start act on one resource on the holder, asked from either server', async () => {
  const started = await cli(['group', 'start', 'diamond', '--wait', '60']);
  assert.equal(started.code, 0, started.stdout + started.stderr);
  const stopsBefore = marks().filter((m) => m.what === 'stop-end' && m.name === 'diamond-d').length;
  // Asked on s2, which does not hold the group: the command is forwarded to s1.
  const stopped = await cli(['resource', 'stop', 'diamond/diamond-d'], 's2');
  assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
  await waitFor(
    'diamond-d offline on s1',
    async () =>
      (await status('s1')).groups
        .find((g) => g.name === 'diamond')
        ?.resources.find((r) => r.name === 'diamond-d')?.state === 'offline',
    30_000,
  );
  assert.equal(
    marks().filter((m) => m.what === 'stop-end' && m.name === 'diamond-d').length,
    stopsBefore + 1,
  );
  const others = (await status('s1')).groups.find((g) => g.name === 'diamond')?.resources;
  assert.deepEqual(
    others?.filter((r) => r.name !== 'diamond-d').map((r) => r.state),
    ['online', 'online', 'online'],
    'only D was stopped',
  );
  const again = await cli(['resource', 'start', 'diamond/diamond-d', '--wait', '60'], 's1');
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /resource diamond\/diamond-d is online\n$/);
  const groupStopped = await cli(['group', 'stop', 'diamond', '--wait', '60']);
  assert.equal(groupStopped.code, 0, groupStopped.stdout + groupStopped.stderr);
});
