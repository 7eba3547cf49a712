// ocf: an OCF resource agent ($OCF_ROOT/resource.d/PROVIDER/AGENT) such as heartbeat:Filesystem.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const ocfAgentName = () =>
  z
    .string()
    .regex(
      /^(ocf:)?[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'PROVIDER:AGENT, e.g. heartbeat:Dummy',
    );

export const ocfParams = () =>
  z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name'),
      z.union([z.string(), z.number(), z.boolean()]),
    )
    .default({});

export const ocfResource = {
  description: 'An OCF resource agent (Pacemaker-style), e.g. heartbeat:Filesystem; start, stop and monitor.',
  params: {
    agent: ocfAgentName().describe(
      'PROVIDER:AGENT, e.g. heartbeat:Dummy (the agent is $OCF_ROOT/resource.d/PROVIDER/AGENT).',
    ),
    params: ocfParams().describe('The agent parameters, passed as OCF_RESKEY_NAME variables.'),
    ocfRoot: formatted('vigil-path').default('/usr/lib/ocf').describe('OCF_ROOT: where resource.d/ is.'),
    monitorTimeout: formatted('vigil-duration')
      .default('20s')
      .describe('Longest time the monitor action (used for the probe and after start) may take.'),
  },
} satisfies ResourceTypeDefinition;
