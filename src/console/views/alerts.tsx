// Alerts, newest first: severity, server, time, ack; in a table (ink-table).
import { Box, Text } from 'ink';
import { Table } from 'ink-table';
import type { AlertEntry } from '../../control/protocol.js';
import { Tok, useTheme, windowAround } from '../components.js';
import { severityKind } from '../status-kind.js';

export function filterAlerts(alerts: AlertEntry[], filter: string): AlertEntry[] {
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return alerts;
  return alerts.filter((alert) =>
    `${alert.id} ${alert.server} ${alert.severity} ${alert.kind} ${alert.message}`
      .toLowerCase()
      .includes(wanted),
  );
}

export function AlertsView({
  alerts,
  selected,
  height,
}: {
  alerts: AlertEntry[];
  selected: number;
  height: number;
}) {
  const theme = useTheme();
  if (alerts.length === 0) return <Tok token="muted">no alerts</Tok>;
  const shown = windowAround(alerts, selected, Math.max(1, Math.floor((height - 4) / 1)));
  const data = shown.items.map((alert, index) => ({
    ' ': shown.start + index === selected ? '>' : ' ',
    severity: `${theme.symbols[severityKind(alert.severity)]} ${alert.severity}`,
    time: alert.at.slice(11, 19),
    server: alert.server,
    ack: alert.ack ? `✓ ${alert.ack.by}` : 'unacked',
    message: alert.message.length > 60 ? `${alert.message.slice(0, 59)}…` : alert.message,
    id: alert.id,
  }));
  return (
    <Box flexDirection="column">
      <Table data={data} />
      <Text> </Text>
    </Box>
  );
}
