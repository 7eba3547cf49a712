// The container driver against a recording fake of podman / docker.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createContainerDriver } from '../../../src/resources/container.js';
import { FakeBin, toolResource, type FakeRule } from './fake-bin.js';
import { resourceContext, scratch } from './helpers.js';

const INSPECT = ['inspect', '-f', '{{.State.Running}}', 'vigil-web-cache'];
const PARAMS = {
  runtime: 'docker',
  image: 'docker.io/library/redis:7',
  runOptions: ['-p', '6379:6379', '--env-file', '/etc/cache.env'],
  args: ['redis-server', '--save', ''],
  stopGrace: '2500ms',
};
const NO_SUCH = { code: 1, stderr: 'Error: No such object: vigil-web-cache\n' };

function setup(t: TestContext, docker: FakeRule[], params: Record<string, unknown> = PARAMS) {
  const runtime = String(params.runtime ?? 'podman');
  const fake = new FakeBin(t).tool(runtime, docker);
  const driver = createContainerDriver({ env: fake.env(), pollMs: 20 });
  const { ctx } = resourceContext(scratch(t), toolResource('container', 'cache', params));
  return { fake, driver, ctx };
}

test('start runs the container detached with its name, options, image and args', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: INSPECT, ...NO_SUCH, times: 1 },
    { prefix: ['run'], stdout: '4f6c1e0a9b3d\n' },
    { args: INSPECT, stdout: 'true\n' },
  ]);
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'container vigil-web-cache runs docker.io/library/redis:7',
  });
  assert.deepEqual(fake.recorded()[1]?.args, [
    'run',
    '-d',
    '--name',
    'vigil-web-cache',
    '-p',
    '6379:6379',
    '--env-file',
    '/etc/cache.env',
    'docker.io/library/redis:7',
    'redis-server',
    '--save',
    '',
  ]);
  assert.deepEqual(await driver.start(ctx), {
    ok: true,
    detail: 'container vigil-web-cache was already running',
  });
  assert.equal(fake.lines().filter((line) => line.startsWith('docker run')).length, 1);
});

test('a stopped leftover of the same name is removed before run (podman by default)', async (t) => {
  const { fake, driver, ctx } = setup(
    t,
    [
      { args: INSPECT, stdout: 'false\n', times: 1 },
      { args: ['rm', '-f', 'vigil-web-cache'], stdout: 'vigil-web-cache\n' },
      { args: ['run', '-d', '--name', 'vigil-web-cache', 'quay.io/app:1'], stdout: '4f6c1e0a9b3d\n' },
      { args: INSPECT, stdout: 'true\n' },
    ],
    { image: 'quay.io/app:1' },
  );
  assert.equal((await driver.start(ctx)).ok, true);
  assert.deepEqual(fake.lines(), [
    `podman ${INSPECT.join(' ')}`,
    'podman rm -f vigil-web-cache',
    'podman run -d --name vigil-web-cache quay.io/app:1',
    `podman ${INSPECT.join(' ')}`,
  ]);
});

test('a run that fails reports the runtime error; a container that exits at once fails too', async (t) => {
  const { driver, ctx } = setup(t, [
    { args: INSPECT, ...NO_SUCH },
    {
      prefix: ['run'],
      times: 1,
      code: 125,
      stderr:
        "Unable to find image 'docker.io/library/redis:7' locally\ndocker: Error response from daemon: pull access denied for redis.\n",
    },
    { prefix: ['run'], stdout: '4f6c1e0a9b3d\n' },
  ]);
  const failedRun = await driver.start(ctx);
  assert.equal(failedRun.ok, false);
  assert.match(
    failedRun.detail,
    /^docker could not run docker\.io\/library\/redis:7 as vigil-web-cache: `docker run .*` exited with code 125: Unable to find image .* \| docker: Error response from daemon: pull access denied for redis\. Check the image name/,
  );
  const exited = await driver.start(ctx);
  assert.deepEqual(exited, {
    ok: false,
    detail:
      'container vigil-web-cache is not running right after its start. Check `docker logs vigil-web-cache`',
  });
});

test('stop gives the grace time, then removes; stopping a missing container succeeds', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: INSPECT, stdout: 'true\n', times: 1 },
    { args: ['stop', '-t', '3', 'vigil-web-cache'], stdout: 'vigil-web-cache\n' },
    { args: ['rm', 'vigil-web-cache'], stdout: 'vigil-web-cache\n' },
    { args: INSPECT, ...NO_SUCH },
  ]);
  assert.deepEqual(await driver.stop(ctx), {
    ok: true,
    detail: 'container vigil-web-cache stopped and removed',
  });
  assert.deepEqual(await driver.stop(ctx), { ok: true, detail: 'container vigil-web-cache did not exist' });
  assert.deepEqual(fake.lines(), [
    `docker ${INSPECT.join(' ')}`,
    'docker stop -t 3 vigil-web-cache',
    'docker rm vigil-web-cache',
    `docker ${INSPECT.join(' ')}`,
  ]);
});

test('a stop that hangs past the stop timeout fails', async (t) => {
  const { driver, ctx } = setup(t, [
    { args: INSPECT, stdout: 'true\n' },
    { prefix: ['stop'], delaySeconds: 30 },
  ]);
  const result = await driver.stop({ ...ctx, timeoutMs: 600 });
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^docker could not stop vigil-web-cache: `docker stop -t 3 vigil-web-cache` timed out after \d+ ms/,
  );
});

test('probe reads State.Running; kill sends the runtime kill', async (t) => {
  const { fake, driver, ctx } = setup(t, [
    { args: INSPECT, stdout: 'true\n', times: 1 },
    { args: INSPECT, stdout: 'false\n', times: 1 },
    { args: INSPECT, ...NO_SUCH, times: 1 },
    {
      args: INSPECT,
      code: 1,
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n',
    },
    { args: ['kill', 'vigil-web-cache'] },
  ]);
  const probes = [];
  for (let i = 0; i < 4; i++) probes.push(await driver.probe(ctx));
  assert.deepEqual(probes, ['online', 'offline', 'offline', 'unknown']);
  await driver.kill(ctx);
  assert.equal(fake.lines().at(-1), 'docker kill vigil-web-cache');
});
