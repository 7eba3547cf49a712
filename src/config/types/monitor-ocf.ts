// ocf: the monitor action of an OCF resource agent; 0 is healthy.
import { formatted } from '../formats.js';
import type { MonitorTypeDefinition } from './define.js';
import { ocfAgentName, ocfParams } from './resource-ocf.js';

export const ocfMonitor = {
  description:
    "Runs an OCF resource agent's monitor action; exit status 0 (running) is healthy, 7 (not running) and errors fail.",
  params: {
    agent: ocfAgentName().describe('PROVIDER:AGENT, e.g. heartbeat:Dummy.'),
    params: ocfParams().describe('The agent parameters, passed as OCF_RESKEY_NAME variables.'),
    instance: formatted('vigil-name')
      .optional()
      .describe(
        "OCF_RESOURCE_INSTANCE; default the target resource's name (so it checks that ocf resource), else the monitor's name.",
      ),
    ocfRoot: formatted('vigil-path').default('/usr/lib/ocf').describe('OCF_ROOT: where resource.d/ is.'),
  },
} satisfies MonitorTypeDefinition;
