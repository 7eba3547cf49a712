// An installed OCF agent's meta-data (`AGENT meta-data`), read and parsed; for the CLI and the config check.
import { runAgent, type OcfAgentName } from './ocf-agent.js';
import { parseMetadata, type OcfMetadata } from './ocf-metadata.js';
import { completed, describeProgram } from './run-program.js';

export async function readAgentMetadata(name: OcfAgentName, ocfRoot: string): Promise<OcfMetadata> {
  const call = { name, ocfRoot, instance: 'meta-data', params: {} };
  const result = await runAgent(call, 'meta-data', { timeoutMs: 10_000 });
  if (!completed(result) || result.code !== 0)
    throw new Error(
      `could not read the meta-data of ocf:${name.provider}:${name.agent}: ${describeProgram('meta-data', result)}`,
    );
  return parseMetadata(result.stdout.join('\n'));
}
