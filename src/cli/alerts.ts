// `vigil alerts`: list alerts, newest first, or acknowledge them.
import type { AlertEntry } from '../control/protocol.js';
import { parseCommandArgs } from './args.js';
import { agentOptions, agentOptionsUsage, withAgent } from './agent-connection.js';
import { EXIT, UsageError, type Command, type Output } from './command.js';
import { styleFor, type Style } from './style.js';
import { localTime } from './time-format.js';

const usage = `usage:
  vigil alerts [--all] [--json]                 list unacknowledged alerts (--all: acknowledged ones too), newest first
  vigil alerts --ack ID [ID...] [--note TEXT]   acknowledge alerts
  vigil alerts --ack-all [--note TEXT]          acknowledge every unacknowledged alert

  --json          print the alerts (or the acknowledged count) as JSON
${agentOptionsUsage}

exit codes: 0 done, 1 some of the given alerts were unknown or already acknowledged, 2 no agent
answers or wrong usage`;

const alertOptions = {
  ...agentOptions,
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  ack: { type: 'string', multiple: true },
  'ack-all': { type: 'boolean' },
  note: { type: 'string' },
} as const;

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'list or acknowledge alerts',
  usage,
  async run(args, output) {
    const { values, positionals } = parseCommandArgs(args, alertOptions);
    if (values.help) {
      output.out(usage);
      return EXIT.ok;
    }
    const acking = values.ack !== undefined || values['ack-all'] === true;
    if (values.ack !== undefined && values['ack-all'])
      throw new UsageError('give --ack IDs or --ack-all, not both');
    if (!acking && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!acking && values.note !== undefined) throw new UsageError('--note goes with --ack or --ack-all');
    if (acking && values.all) throw new UsageError('--all only applies to listing');
    if (acking) {
      const ids = values['ack-all'] ? 'all' : [...(values.ack ?? []), ...positionals];
      if (values['ack-all'] && positionals.length > 0)
        throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return withAgent(values, async ({ client }) => {
        const { acknowledged } = await client.call('alerts.ack', { ids, note: values.note ?? '' });
        return reportAck(ids, acknowledged, values.json === true, output);
      });
    }
    const alerts = await withAgent(values, ({ client }) =>
      client.call('alerts.list', { unacknowledgedOnly: values.all !== true }),
    );
    const newestFirst = [...alerts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    output.out(
      values.json
        ? JSON.stringify(newestFirst, null, 2)
        : formatAlerts(newestFirst, values.all === true, styleFor()),
    );
    return EXIT.ok;
  },
};

function reportAck(ids: string[] | 'all', acknowledged: number, json: boolean, output: Output): number {
  if (json) output.out(JSON.stringify({ acknowledged }));
  else output.out(`acknowledged ${acknowledged} alert${acknowledged === 1 ? '' : 's'}`);
  if (ids !== 'all' && acknowledged < ids.length) {
    output.err(
      `${ids.length - acknowledged} of the ${ids.length} given alerts were unknown or already acknowledged; see vigil alerts --all`,
    );
    return EXIT.failed;
  }
  return EXIT.ok;
}

export function formatAlerts(alerts: AlertEntry[], all: boolean, style: Style): string {
  if (alerts.length === 0)
    return all ? 'no alerts' : 'no unacknowledged alerts (vigil alerts --all shows acknowledged ones too)';
  const header = ['ID', 'TIME', 'SEVERITY', 'SERVER', 'ACK', 'MESSAGE'];
  const rows = alerts.map((alert) => [
    alert.id,
    localTime(alert.at),
    alert.severity,
    alert.server,
    alert.ack
      ? `by ${alert.ack.by} ${localTime(alert.ack.at)}${alert.ack.note ? ` (${alert.ack.note})` : ''}`
      : 'no',
    `${alert.kind}: ${alert.message}`,
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[], severity?: AlertEntry['severity']) =>
    cells
      .map((cell, index) => {
        const padded = index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0);
        if (index !== 2 || severity === undefined) return padded;
        return severity === 'critical'
          ? style.bad(padded)
          : severity === 'warning'
            ? style.warn(padded)
            : padded;
      })
      .join('  ');
  return [style.bold(line(header)), ...rows.map((row, index) => line(row, alerts[index]?.severity))].join(
    '\n',
  );
}
