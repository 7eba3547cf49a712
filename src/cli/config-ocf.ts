// `vigil config check` on this machine: every ocf resource and ocf monitor must set the parameters
// that the installed agent's meta-data marks required. An agent not installed here is a warning
// (it may be installed on the servers only), never an error.
import { existsSync } from 'node:fs';
import type { LoadSuccess } from '../config/index.js';
import { agentPath, DEFAULT_OCF_ROOT, parseAgentName } from '../resources/ocf-agent.js';
import { readAgentMetadata } from '../resources/ocf-describe.js';
import { missingRequired, type OcfMetadata } from '../resources/ocf-metadata.js';

export interface OcfFinding {
  severity: 'error' | 'warning';
  /** "FILE: groups[0].resources[1]: …" */
  line: string;
}

interface OcfUse {
  where: string;
  params: Record<string, unknown>;
}

function ocfUses(result: LoadSuccess): OcfUse[] {
  const uses: OcfUse[] = [];
  result.model.groups.forEach((group, g) =>
    group.resources.forEach((resource, r) => {
      if (resource.type === 'ocf')
        uses.push({
          where: `groups[${g}].resources[${r}] (${group.name}/${resource.name})`,
          params: resource.params,
        });
    }),
  );
  result.model.monitors.forEach((monitor, m) => {
    if (monitor.type === 'ocf')
      uses.push({ where: `monitors[${m}] (${monitor.name})`, params: monitor.params });
  });
  return uses;
}

export async function checkOcfParameters(result: LoadSuccess): Promise<OcfFinding[]> {
  const findings: OcfFinding[] = [];
  const cache = new Map<string, Promise<OcfMetadata>>();
  for (const use of ocfUses(result)) {
    const name = parseAgentName(String(use.params.agent));
    const root = typeof use.params.ocfRoot === 'string' ? use.params.ocfRoot : DEFAULT_OCF_ROOT;
    const path = agentPath(name, root);
    const label = `${name.provider}:${name.agent}`;
    if (!existsSync(path)) {
      findings.push({
        severity: 'warning',
        line: `${result.file}: ${use.where}: warning: OCF agent ${label} is not installed on this machine (${path}), so its parameters were not checked`,
      });
      continue;
    }
    if (!cache.has(path)) cache.set(path, readAgentMetadata(name, root));
    let metadata: OcfMetadata;
    try {
      metadata = await (cache.get(path) as Promise<OcfMetadata>);
    } catch (error) {
      findings.push({
        severity: 'warning',
        line: `${result.file}: ${use.where}: warning: ${(error as Error).message}`,
      });
      continue;
    }
    const given =
      typeof use.params.params === 'object' && use.params.params !== null ? use.params.params : {};
    for (const missing of missingRequired(metadata, given as Record<string, unknown>))
      findings.push({
        severity: 'error',
        line: `${result.file}: ${use.where}: OCF agent ${label} requires parameter "${missing}" (add it under params; see vigil ocf describe ${label})`,
      });
  }
  return findings;
}
