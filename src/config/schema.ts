// The cluster configuration schema: the one source for validation, the TypeScript types (z.infer)
// and the JSON Schema (`vigil config schema`). Every object is strict: an unknown key is an error,
// because a misspelt key silently falling back to a default is how clusters fail at 3 a.m.
// Rules that span several places (names, references, cycles, timing budgets) live in check*.ts.

import { z } from 'zod';
import { DEFAULT_FENCE_COMMANDS, DEFAULTS } from './defaults.js';
import { formatted } from './formats.js';
import type { TypeDefinition } from './types/define.js';
import { alertTypes, monitorTypes, resourceTypes } from './types/index.js';

const duration = () => formatted('vigil-duration');
const name = () => formatted('vigil-name');
const port = () => z.number().int().min(1).max(65535);

const timingSchema = z.strictObject({
  heartbeatInterval: duration()
    .default(DEFAULTS.heartbeatInterval)
    .describe('How often every server sends a heartbeat on every link.'),
  heartbeatTimeout: duration()
    .default(DEFAULTS.heartbeatTimeout)
    .describe(
      'A link is down after this long without a heartbeat; a server is down when all its links are. At least 3 x heartbeatInterval.',
    ),
  npDeadline: duration()
    .default(DEFAULTS.npDeadline)
    .describe('How long network-partition resolution may take before it counts as lost.'),
  fenceDeadline: duration()
    .default(DEFAULTS.fenceDeadline)
    .describe('How long a server that lost partition resolution has to stop its groups (self-fence).'),
  takeoverDelay: duration()
    .optional()
    .describe(
      'How long survivors wait after declaring a peer down before taking its groups. At least heartbeatTimeout + npDeadline + fenceDeadline; default that plus heartbeatInterval.',
    ),
});

const clusterSchema = z.strictObject({
  name: formatted('vigil-cluster-name').describe('Cluster name: lowercase letters, digits and "-".'),
  watchdog: z
    .strictObject({
      device: formatted('vigil-path').describe('The watchdog device, such as /dev/watchdog.'),
      interval: duration().optional().describe('How often vigild feeds it; default: the heartbeat interval.'),
    })
    .optional()
    .describe('A Linux watchdog device vigild keeps fed while it runs: a stalled agent resets the machine.'),
  keyFile: formatted('vigil-path')
    .default(DEFAULTS.keyFile)
    .describe('Secret file (mode 0600) that authenticates traffic between servers.'),
  sshPort: port().default(DEFAULTS.sshPort).describe("TCP port of the agents' SSH endpoint for operators."),
  heartbeatPort: port()
    .default(DEFAULTS.heartbeatPort)
    .describe('UDP port for heartbeats on every LAN interconnect.'),
  peerPort: port()
    .default(DEFAULTS.peerPort)
    .describe(
      'TCP port of the TLS channel between servers (state sync, claims, alerts, logs) on every LAN interconnect.',
    ),
  comBaudRate: z
    .number()
    .int()
    .min(300)
    .max(4_000_000)
    .default(DEFAULTS.comBaudRate)
    .describe(
      'Baud rate of the COM heartbeat link, the same at both ends; a heartbeat frame must cross the line in half the heartbeat interval.',
    ),
  timing: timingSchema.prefault({}).describe('Heartbeat and failover timing; all optional.'),
});

const serverSchema = z.strictObject({
  name: name().describe('Server name, unique in the cluster (usually the host name).'),
  lan: z
    .array(formatted('vigil-ip'))
    .min(1)
    .describe('LAN interconnect addresses of this server, most preferred first; link ids lan0, lan1, ...'),
  com: formatted('vigil-path')
    .optional()
    .describe(
      'Serial device of the COM heartbeat link (link id com). A serial line joins exactly two servers: at most two servers may have com.',
    ),
  disk: formatted('vigil-path')
    .optional()
    .describe('Shared disk device or file of the DISK heartbeat link (link id disk).'),
});

const partitionMethodSchema = z
  .union([
    z
      .enum(['majority', 'com'])
      .describe('majority: quorum of configured servers; com: ask the peer over the serial line.'),
    z.strictObject({
      ping: z
        .strictObject({
          targets: z.array(formatted('vigil-host')).min(1).describe('Addresses to ping, e.g. the gateway.'),
          mode: z
            .enum(['any', 'all'])
            .default('any')
            .describe('any: one answer wins; all: every target must answer.'),
        })
        .describe('This side wins when it reaches the ping targets. Not safe alone on two servers.'),
    }),
    z.strictObject({
      disk: z
        .strictObject({
          device: formatted('vigil-path').describe('Shared disk device or file used as a lock.'),
        })
        .describe('The side that takes the lock on a shared disk wins.'),
    }),
    z.strictObject({
      witness: z
        .strictObject({
          url: formatted('vigil-http-url').describe('URL of the witness (outside arbiter).'),
        })
        .describe('An outside arbiter decides which side wins.'),
    }),
  ])
  .meta({
    title: 'partition method',
    description: 'majority, com, {ping: {targets, mode}}, {disk: {device}} or {witness: {url}}',
  });

const partitionSchema = z.strictObject({
  methods: z
    .array(partitionMethodSchema)
    .min(1)
    .default(['majority'])
    .describe('Network-partition resolution methods, tried in order; the first verdict decides.'),
  action: z
    .enum(['stop-service', 'reboot', 'poweroff'])
    .default('stop-service')
    .describe('What a server that loses does after stopping its groups.'),
  commands: z
    .strictObject({
      reboot: z
        .string()
        .trim()
        .min(1)
        .default(DEFAULT_FENCE_COMMANDS.reboot)
        .describe('Shell command that reboots this server at once (action reboot).'),
      poweroff: z
        .string()
        .trim()
        .min(1)
        .default(DEFAULT_FENCE_COMMANDS.poweroff)
        .describe('Shell command that powers this server off at once (action poweroff).'),
    })
    .prefault({})
    .describe('The commands behind the reboot and poweroff actions (partition and monitor final actions).'),
});

/** A discriminated union on `type` with one strict variant per registered type. */
function typedItems<Common extends z.ZodRawShape>(
  title: string,
  common: Common,
  registry: Record<string, TypeDefinition>,
) {
  const variants = Object.entries(registry).map(([type, definition]) =>
    z
      .strictObject({
        ...common,
        type: z.literal(type).describe(`${title} type: ${definition.description}`),
        ...definition.params,
      })
      .describe(`${title} of type ${type}: ${definition.description}`),
  );
  const [first, ...rest] = variants;
  if (first === undefined) throw new Error(`no ${title} types are registered`);
  const union = z.discriminatedUnion('type', [first, ...rest]).meta({ title });
  // The variants' own keys are checked at run time; statically an item is its common keys plus the rest.
  return union as unknown as z.ZodType<
    z.output<z.ZodObject<Common>> & { type: string } & Record<string, unknown>,
    z.input<z.ZodObject<Common>> & { type: string } & Record<string, unknown>
  >;
}

const resourceSchema = typedItems(
  'resource',
  {
    name: name().describe('Resource name, unique in its group.'),
    dependsOn: z
      .array(name())
      .default([])
      .describe(
        'Resources of the same group that must be online before this one starts (and stop after it).',
      ),
    startTimeout: duration()
      .default(DEFAULTS.startTimeout)
      .describe('Longest time a start may take before it counts as failed.'),
    stopTimeout: duration()
      .default(DEFAULTS.stopTimeout)
      .describe('Longest time a stop may take before it counts as failed.'),
  },
  resourceTypes,
);

const groupSchema = z.strictObject({
  name: name().describe('Group name, unique in the cluster.'),
  policy: z
    .array(name())
    .min(1)
    .optional()
    .describe('Servers that may run the group, most preferred first; default all servers in their order.'),
  startup: z
    .enum(['auto', 'manual'])
    .default('auto')
    .describe('auto: start when the cluster starts; manual: only by an operator.'),
  failback: z
    .enum(['manual', 'auto'])
    .default('manual')
    .describe('auto: move back to a more preferred server when it returns; manual: stay.'),
  exclusion: name()
    .optional()
    .describe('Exclusion rule: groups that share a rule never run on the same server.'),
  stopFailure: z
    .enum(['kill', 'reboot', 'poweroff'])
    .default('kill')
    .describe(
      'When a resource fails to stop: kill the group at once (always), then also reboot or power off the server (through partition.commands).',
    ),
  resources: z
    .array(resourceSchema)
    .min(1)
    .describe('Group resources, started in dependency order and stopped in reverse.'),
});

const recoverySchema = z.strictObject({
  target: formatted('vigil-ref')
    .optional()
    .describe('"group" or "group/resource" the recovery acts on; default the monitor\'s target.'),
  reactivate: z
    .number()
    .int()
    .min(0)
    .default(DEFAULTS.reactivate)
    .describe('Restarts of the target before failing over.'),
  failover: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "Failovers of the group before the final action; default 1, or 0 when the group's policy has one server.",
    ),
  final: z
    .enum(['none', 'stop-group', 'stop-cluster', 'reboot', 'poweroff'])
    .default('none')
    .describe('What to do when reactivations and failovers are used up.'),
  resetAfter: duration()
    .optional()
    .describe('Quiet period after which the counters start over: this long without an error; default never.'),
});

const monitorSchema = typedItems(
  'monitor',
  {
    name: name().describe('Monitor name, unique in the cluster.'),
    target: formatted('vigil-ref').optional().describe('"group" or "group/resource" the monitor watches.'),
    interval: duration().default(DEFAULTS.monitorInterval).describe('Time between checks.'),
    timeout: duration()
      .default(DEFAULTS.monitorTimeout)
      .describe('Longest time a check may take; shorter than interval.'),
    retries: z
      .number()
      .int()
      .min(0)
      .default(DEFAULTS.monitorRetries)
      .describe('Failed checks in a row tolerated before the monitor is in error.'),
    timing: z
      .enum(['always', 'active'])
      .optional()
      .describe(
        'always, or active: only while the target is online here; default active when target names a resource.',
      ),
    waitAfterStart: duration()
      .optional()
      .describe('Failed checks are not counted for this long after the target started here; default 0.'),
    delayWarning: z
      .number()
      .min(1)
      .max(100)
      .optional()
      .describe('Percent of timeout: an ok check slower than this passes with a warning; default none.'),
    recovery: recoverySchema
      .prefault({})
      .describe('The recovery ladder: reactivate, then fail over, then the final action.'),
  },
  monitorTypes,
);

const operatorSchema = z.strictObject({
  name: name().describe('Operator name, written to the audit log.'),
  key: formatted('vigil-ssh-public-key').describe('OpenSSH public key line (as in authorized_keys).'),
  role: z
    .enum(['viewer', 'operator', 'admin'])
    .describe('viewer: read only; operator: run operations; admin: also change config.'),
});

const alertSchema = typedItems(
  'alert channel',
  {
    name: name().describe('Alert channel name, unique in the cluster.'),
    minSeverity: z
      .enum(['info', 'warning', 'critical'])
      .default('warning')
      .describe('Least severe alert sent to this channel.'),
    operators: z.array(name()).optional().describe('Operators to notify through this channel.'),
  },
  alertTypes,
);

export const configSchema = z
  .strictObject({
    cluster: clusterSchema.describe('Cluster-wide settings.'),
    servers: z
      .array(serverSchema)
      .min(1)
      .describe('The servers, in priority order: the first is the most preferred.'),
    partition: partitionSchema.prefault({}).describe('Network-partition resolution and self-fencing.'),
    groups: z
      .array(groupSchema)
      .default([])
      .describe('Failover groups: the units that move between servers.'),
    monitors: z.array(monitorSchema).default([]).describe('Monitor resources and their recovery ladders.'),
    operators: z.array(operatorSchema).default([]).describe('People allowed to reach the agents over SSH.'),
    alerts: z.array(alertSchema).default([]).describe('Where alerts are sent.'),
  })
  .meta({ title: 'vigil cluster configuration' });

/** A valid config as loaded, with the schema's defaults filled (durations still strings). */
export type VigilConfig = z.output<typeof configSchema>;
/** The config as written in YAML. */
export type VigilConfigInput = z.input<typeof configSchema>;
export type ServerConfig = VigilConfig['servers'][number];
export type GroupConfig = VigilConfig['groups'][number];
export type ResourceConfig = GroupConfig['resources'][number];
export type MonitorConfig = VigilConfig['monitors'][number];
export type OperatorConfig = VigilConfig['operators'][number];
export type AlertConfig = VigilConfig['alerts'][number];
export type PartitionMethodConfig = VigilConfig['partition']['methods'][number];
