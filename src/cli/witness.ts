// `vigil witness`: runs the partition witness, a small HTTP server outside the cluster that grants
// the lease of the `witness` partition method to one side of a split (see src/witness/).
import { once } from 'node:events';
import { deriveKey, loadClusterKey } from '../agent/cluster-key.js';
import { createWitnessServer } from '../witness/server.js';
import { parseCommandArgs } from './args.js';
import { EXIT, UsageError, type Command } from './command.js';

const usage = `usage: vigil witness --cluster NAME --key FILE [--listen HOST:PORT] [--first-start]

Serves the lease of the witness partition method for one cluster. Run it on a machine outside the
cluster that every server can reach; give the servers its URL (partition.methods: witness, url).

  --cluster NAME      the cluster's name (cluster.name in its config)
  --key FILE          the cluster key file (the same secret as cluster.keyFile); requests and
                      answers are authenticated with a key derived from it
  --listen HOST:PORT  address to listen on (default 0.0.0.0:29200)
  --first-start       grant at once instead of after the 60 s quiet period: only when no server
                      can hold a lease from an earlier run of this witness

Each decision is printed as one JSON line on stdout. Stop it with Ctrl-C or SIGTERM.
exit codes: 0 stopped, 2 wrong usage or the key cannot be read`;

export const witnessCommand: Command = {
  name: 'witness',
  summary: 'run the partition witness (grants the lease of the witness method)',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, {
      cluster: { type: 'string' },
      key: { type: 'string' },
      listen: { type: 'string' },
      'first-start': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.cluster) throw new UsageError('--cluster NAME is required');
    if (!values.key) throw new UsageError('--key FILE is required');
    const { host, port } = parseHostPort(values.listen ?? '0.0.0.0:29200');
    const key = deriveKey(loadClusterKey(values.key), values.cluster, 'witness');
    const server = createWitnessServer({
      cluster: values.cluster,
      key,
      quiet: !values['first-start'],
      log: (event, fields) => output.out(JSON.stringify({ at: new Date().toISOString(), event, ...fields })),
    });
    server.listen(port, host);
    await once(server, 'listening');
    const address = server.address();
    const bound =
      typeof address === 'object' && address ? `${address.address}:${address.port}` : `${host}:${port}`;
    output.err(`vigil witness for cluster ${values.cluster} listening on http://${bound}/`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    server.close();
    return EXIT.ok;
  },
};

function parseHostPort(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--listen ${text}: use HOST:PORT, e.g. 0.0.0.0:29200`);
  return { host: text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
}
