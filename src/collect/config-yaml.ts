// The cluster config as the agent serves it to `config.get`: YAML with secrets taken out and a
// header that says what was replaced, so whoever reads a log bundle knows what they do not see.
// The YAML library is loaded at the first call: a running agent otherwise never needs its memory.
import type { RedactedConfig } from '../control/protocol.js';
import { REDACTED, redactConfig } from './redact.js';

export async function redactedConfigYaml(config: unknown, server: string): Promise<RedactedConfig> {
  const { stringify } = await import('yaml');
  const { value, redacted } = redactConfig(config);
  const header = [
    `# The cluster config as vigild on ${server} loaded it (defaults filled in), for a log collection.`,
    "# The cluster key file's contents are never included, only its path (cluster.keyFile).",
    redacted.length === 0
      ? '# No value looked secret; nothing else was replaced.'
      : `# Values that looked secret were replaced by "${REDACTED}":`,
    ...redacted.map((entry) => `#   - ${entry}`),
  ];
  return { server, yaml: `${header.join('\n')}\n${stringify(value)}`, redacted };
}
