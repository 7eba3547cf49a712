// `vigil console`: the live console (Ink, full screen) on the demo cluster, local sockets, or a
// cluster of ~/.config/vigil/console.yaml.
import { demoDir } from '../control/paths.js';
import { defaultSocketPath } from '../control/paths.js';
import { consoleConfigPath, readConsoleConfig } from '../console/config.js';
import { unixNodeSource, type NodeSource } from '../console/data/node-source.js';
import { connectAgent, nodeTargetOf, type AgentTarget } from './agent-connection.js';
import { loadTheme } from '../console/theme.js';
import { demoLayout } from '../demo/layout.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';

const usage = `usage: vigil console [--demo | --socket PATH ... | CLUSTER] [--theme NAME] [--read-only]

The live console: the cluster tree (servers, links, groups, resources, monitors), the heartbeat
matrix, alerts and logs, with every node's connection state. Press ? inside for the keys.

  --demo          the local demo cluster (vigil demo): all three of its servers
  --socket PATH   an agent's control socket; repeat it for several nodes of one cluster
                  (default: $VIGIL_SOCKET, else ${defaultSocketPath()})
  CLUSTER         a cluster of ${consoleConfigPath()} (nodes with socket: PATH)
  --node HOST     a server over SSH; repeat it for several nodes of one cluster
  --accept-new, --known-hosts FILE, --ssh-port PORT, --identity FILE, --via openssh
                  as for the other commands (see vigil status --help); with --via openssh,
                  --socket PATH is the agent's socket on the nodes (default /run/vigil/vigild.sock)
  --theme NAME    default, dark, light, high-contrast, monochrome, or a YAML file
                  (default: $VIGIL_THEME; monochrome when NO_COLOR is set)
  --read-only     hide every action that changes the cluster

exit codes: 0 done, 2 wrong usage or not a terminal`;

export const consoleCommand: Command = {
  name: 'console',
  summary: 'the live console: tree, heartbeats, alerts, logs and actions',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {
      demo: { type: 'boolean' },
      socket: { type: 'string', multiple: true },
      node: { type: 'string', multiple: true },
      'accept-new': { type: 'boolean' },
      'known-hosts': { type: 'string' },
      'ssh-port': { type: 'string' },
      identity: { type: 'string', multiple: true },
      via: { type: 'string' },
      theme: { type: 'string' },
      'read-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    // With --node --via openssh, --socket is the agent's socket on every node (as for vigil status).
    const remoteSocket = values.node !== undefined ? values.socket : undefined;
    if (remoteSocket && remoteSocket.length > 1)
      throw new UsageError("with --node, give one --socket: the agent's control socket on every node");
    const ssh: AgentTarget = {
      ...(remoteSocket ? { socket: remoteSocket[0] } : {}),
      'accept-new': values['accept-new'],
      'known-hosts': values['known-hosts'],
      'ssh-port': values['ssh-port'],
      identity: values.identity,
      via: values.via,
    };
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const given = [
      values.demo === true,
      values.socket !== undefined && values.node === undefined,
      values.node !== undefined,
      positionals.length > 0,
    ].filter(Boolean);
    if (given.length > 1) throw new UsageError('give one of --demo, --socket, --node and CLUSTER');
    const clusters = new Map<string, NodeSource[]>();
    let initial = 'local';
    const config = readConsoleConfig();
    for (const [name, nodes] of config?.clusters ?? [])
      clusters.set(
        name,
        nodes.map((node) =>
          node.socket
            ? unixNodeSource(node.name, node.socket)
            : sshNodeSource(node.host ?? node.name, ssh, node.name),
        ),
      );
    if (positionals[0] !== undefined) {
      initial = positionals[0];
      const nodes = config?.clusters.get(initial);
      if (!nodes)
        throw new CommandFailure(
          `no cluster "${initial}" in ${consoleConfigPath()}${config ? ` (clusters: ${[...config.clusters.keys()].join(', ')})` : ' (the file does not exist)'}`,
          EXIT.usage,
        );
    } else if (values.node) {
      clusters.set(
        initial,
        values.node.map((node) => sshNodeSource(node, ssh)),
      );
    } else if (values.demo) {
      initial = 'demo';
      clusters.set(initial, demoSources());
    } else {
      const sockets = values.socket ?? [process.env.VIGIL_SOCKET ?? defaultSocketPath()];
      clusters.set(
        initial,
        sockets.map((socket, index) =>
          unixNodeSource(sockets.length === 1 ? 'local' : `node${index + 1}`, socket),
        ),
      );
    }
    if (!process.stdout.isTTY || !process.stdin.isTTY)
      throw new CommandFailure(
        'the console needs a terminal (stdin and stdout); for scripts use vigil status, vigil alerts or vigil logs',
        EXIT.usage,
      );
    const { theme, warnings } = loadTheme({ name: values.theme });
    for (const warning of warnings) output.err(`vigil console: ${warning}`);
    const { runConsole } = await (await import('../console/load.js')).loadConsole();
    await runConsole({ clusters, initial, theme, readOnly: values['read-only'] === true });
    return EXIT.ok;
  },
};

export function demoSources(dir = demoDir()): NodeSource[] {
  return demoLayout(dir).servers.map((server) => unixNodeSource(server.name, server.socket));
}

/**
 * A node reached over SSH (the agent's endpoint, or the site's sshd with --via openssh). The host
 * key is always verified; an unknown one is accepted only with --accept-new. The console's own
 * loop reconnects, showing why a node is unreachable meanwhile.
 */
function sshNodeSource(host: string, ssh: AgentTarget, name = host): NodeSource {
  nodeTargetOf(host, ssh); // wrong options are a usage error now, not a reason shown later
  return {
    name,
    where: `ssh ${host}`,
    connect: async () => (await connectAgent({ ...ssh, node: host })).client,
  };
}
