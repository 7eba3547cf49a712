// `vigil demo`: a three-server cluster on this machine's loopback addresses, no root needed.
import { demoDir } from '../control/paths.js';
import { crashServer, restartServer } from '../demo/crash-restart.js';
import { runDemo, stopDemo } from '../demo/run.js';
import { parseCommandArgs } from './args.js';
import { EXIT, UsageError, type Command } from './command.js';

/** The console on the demo's servers (when the demo runs on a terminal). */
async function openConsole(servers: { name: string; socket: string }[]): Promise<void> {
  const { unixNodeSource } = await import('../console/data/node-source.js');
  const { loadTheme } = await import('../console/theme.js');
  const { runConsole } = await (await import('../console/load.js')).loadConsole();
  const sources = servers.map((server) => unixNodeSource(server.name, server.socket));
  await runConsole({ clusters: new Map([['demo', sources]]), initial: 'demo', theme: loadTheme().theme });
}

const usage = `usage: vigil demo [--headless]
       vigil demo --crash SERVER | --restart SERVER | --stop

Writes a demo cluster under ${demoDir()} (three servers s1 s2 s3 on 127.0.0.1-3, a
group "web" serving http://127.0.0.100:8080/ and a group "batch"), starts its three agents, waits
until the cluster is up and prints what to try. On a terminal it then opens the console (vigil console --demo); otherwise it
shows a line for every change (servers, groups, monitors, alerts). Ctrl-C (or q in the console)
stops the agents and cleans up.

  --headless         no live event lines: start, print what to try, and wait for Ctrl-C or SIGTERM
  --crash SERVER     make a server of the running demo crash: kill -9 of its agent and its services
  --restart SERVER   start the agent of a crashed server again
  --stop             stop a demo that runs in another terminal, or what a killed one left behind

exit codes: 0 done (the demo stopped cleanly), 1 the demo is already running, is not running, or did
not come up, 2 wrong usage`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a three-server demo cluster on this machine',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {
      headless: { type: 'boolean' },
      crash: { type: 'string' },
      restart: { type: 'string' },
      stop: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const actions = [values.crash !== undefined, values.restart !== undefined, values.stop === true];
    if (actions.filter(Boolean).length + (values.headless ? 1 : 0) > 1)
      throw new UsageError('give one of --headless, --crash, --restart and --stop');
    if (values.crash !== undefined) return crashServer(output, values.crash);
    if (values.restart !== undefined) return restartServer(output, values.restart);
    if (values.stop) return stopDemo(output);
    const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
    return runDemo({
      output,
      headless: values.headless === true,
      ...(interactive ? { console: openConsole } : {}),
    });
  },
};
