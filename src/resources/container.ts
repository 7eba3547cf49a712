// container: one container run with podman or docker (same command lines for both). Stop gives it
// `stopGrace` to exit (then the runtime kills it) and removes it, so the next start begins clean.
// See docs/resources.md.
import type { ResourceDriver } from './driver.js';
import { describeToolFailure } from './tool.js';
import {
  createToolDriver,
  failed,
  ParamReader,
  type ToolDriverOptions,
  type ToolSession,
} from './tool-driver.js';

interface ContainerParams {
  runtime: 'podman' | 'docker';
  image: string;
  name: string;
  runOptions: string[];
  args: string[];
  stopGraceMs: number;
}

/** docker: "No such container: x" / "No such object: x"; podman: "no such container". */
const NO_SUCH = /no such (container|object)/i;

export function createContainerDriver(options: ToolDriverOptions = {}): ResourceDriver {
  return createToolDriver<ContainerParams>(
    {
      readParams(params, ctx) {
        const reader = new ParamReader('container', params);
        return {
          runtime: reader.oneOf('runtime', ['podman', 'docker'] as const, 'podman'),
          image: reader.string('image'),
          name: reader.optionalString('containerName') ?? `vigil-${ctx.group}-${ctx.resource.name}`,
          runOptions: reader.strings('runOptions'),
          args: reader.strings('args'),
          stopGraceMs: reader.durationMs('stopGrace', '10s'),
        };
      },

      async start(s, p) {
        const state = await running(s, p);
        if (state === true) return { ok: true, detail: `container ${p.name} was already running` };
        if (state === false) {
          // A stopped container of that name would make `run --name` fail: remove the leftover.
          const removed = await s.run([p.runtime, 'rm', '-f', p.name]);
          if (!removed.ok)
            return failed(`could not remove the old container ${p.name}: ${describeToolFailure(removed)}`);
        }
        const run = await s.run([
          p.runtime,
          'run',
          '-d',
          '--name',
          p.name,
          ...p.runOptions,
          p.image,
          ...p.args,
        ]);
        if (!run.ok)
          return failed(
            `${p.runtime} could not run ${p.image} as ${p.name}: ${describeToolFailure(run)}. Check the image name and the run options`,
          );
        if ((await running(s, p)) !== true)
          return failed(
            `container ${p.name} is not running right after its start. Check \`${p.runtime} logs ${p.name}\``,
          );
        return { ok: true, detail: `container ${p.name} runs ${p.image}` };
      },

      async stop(s, p) {
        const state = await running(s, p);
        if (state === 'absent') return { ok: true, detail: `container ${p.name} did not exist` };
        if (state === true) {
          const seconds = String(Math.ceil(p.stopGraceMs / 1000));
          const stopped = await s.run([p.runtime, 'stop', '-t', seconds, p.name]);
          if (!stopped.ok && !NO_SUCH.test(stopped.stderr))
            return failed(`${p.runtime} could not stop ${p.name}: ${describeToolFailure(stopped)}`);
        }
        const removed = await s.run([p.runtime, 'rm', p.name]);
        if (!removed.ok && !NO_SUCH.test(removed.stderr))
          return failed(
            `container ${p.name} stopped but could not be removed: ${describeToolFailure(removed)}`,
          );
        return { ok: true, detail: `container ${p.name} stopped and removed` };
      },

      async probe(s, p) {
        const state = await running(s, p);
        if (state === true) return 'online';
        return state === false || state === 'absent' ? 'offline' : 'unknown';
      },

      async kill(s, p) {
        await s.run([p.runtime, 'kill', p.name]);
      },
    },
    options,
  );
}

/** true / false from `inspect`, 'absent' when there is no such container, 'error' when inspect failed. */
async function running(s: ToolSession, p: ContainerParams): Promise<boolean | 'absent' | 'error'> {
  const result = await s.run([p.runtime, 'inspect', '-f', '{{.State.Running}}', p.name]);
  if (!result.ok) return NO_SUCH.test(result.stderr) ? 'absent' : 'error';
  const answer = result.stdout.trim();
  return answer === 'true' ? true : answer === 'false' ? false : 'error';
}
