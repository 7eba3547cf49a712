// Logs: the tail of one node, or all of them merged by time, with a filter.
import { Box, Text } from 'ink';
import type { LogLine } from '../../control/protocol.js';
import { Tok } from '../components.js';
import type { Token } from '../theme.js';

export function filterLogs(lines: LogLine[], node: string | undefined, filter: string): LogLine[] {
  const wanted = filter.trim().toLowerCase();
  return lines.filter(
    (line) =>
      (!node || line.server === node) &&
      (!wanted ||
        `${line.server} ${line.level} ${line.event} ${JSON.stringify(line.fields)}`
          .toLowerCase()
          .includes(wanted)),
  );
}

const LEVEL_TOKEN: Record<LogLine['level'], Token> = {
  debug: 'muted',
  info: 'text',
  warn: 'status.warning',
  error: 'status.error',
};

export function LogsView({
  lines,
  node,
  height,
}: {
  lines: LogLine[];
  node: string | undefined;
  height: number;
}) {
  const shown = lines.slice(-Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      <Tok token="muted">{`logs of ${node ?? 'every node (merged)'}: ${lines.length} lines (n: next node)`}</Tok>
      {shown.map((line, index) => {
        const fields = Object.entries(line.fields)
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ');
        return (
          <Text key={index} wrap="truncate-end">
            <Tok token="muted">{`${line.at.slice(11, 23)} ${line.server} `}</Tok>
            <Tok token={LEVEL_TOKEN[line.level]}>{line.level.toUpperCase().padEnd(5)}</Tok>
            {` ${line.event}${fields ? ` ${fields}` : ''}`}
          </Text>
        );
      })}
    </Box>
  );
}
