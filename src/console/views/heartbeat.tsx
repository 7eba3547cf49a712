// The heartbeat matrix: one row per observing node (its own view), one column per peer, each cell
// the observer's links to that peer: up/down with round-trip time. On the diagonal, the observer's
// own end of each link (up, reopening, stalled ...).
import { Box, Text } from 'ink';
import { Mark, Tok } from '../components.js';
import type { ClusterModel } from '../data/cluster-model.js';

export function HeartbeatView({ model }: { model: ClusterModel }) {
  const servers = model.view?.servers.map((server) => server.name) ?? model.nodes.map((node) => node.name);
  const observers = [...new Set([...servers, ...model.nodes.map((node) => node.name)])];
  const width = 24;
  return (
    <Box flexDirection="column">
      <Text>
        <Tok token="header" bold>
          {'from \\ to'.padEnd(10)}
        </Tok>
        {servers.map((name) => (
          <Tok key={name} token="header" bold>
            {name.padEnd(width)}
          </Tok>
        ))}
      </Text>
      {observers.map((observer) => {
        const view = model.views.get(observer);
        const connection = model.nodes.find((node) => node.name === observer)?.connection;
        return (
          <Box key={observer}>
            <Text>{observer.padEnd(10)}</Text>
            {!view ? (
              <Tok token="muted">
                {connection?.kind === 'unreachable'
                  ? `not reachable from this console (${connection.reason})`
                  : connection?.kind === 'connecting'
                    ? 'connecting…'
                    : 'not a node of this console: its view is unknown'}
              </Tok>
            ) : (
              servers.map((peer) => {
                const server = view.servers.find((candidate) => candidate.name === peer);
                if (!server) return <Text key={peer}>{'?'.padEnd(width)}</Text>;
                if (peer === observer)
                  return !view.linkEnds || view.linkEnds.length === 0 ? (
                    <Tok key={peer} token="muted">
                      {'—'.padEnd(width)}
                    </Tok>
                  ) : (
                    <Box key={peer} width={width} flexDirection="column">
                      {view.linkEnds.map((end) => (
                        <Mark
                          key={end.id}
                          kind={end.state === 'up' ? 'ok' : 'error'}
                          word={`${end.id} end ${end.state}`}
                        />
                      ))}
                    </Box>
                  );
                return (
                  <Box key={peer} width={width} flexDirection="column">
                    {server.links.length === 0 ? <Tok token="muted">no links</Tok> : null}
                    {server.links.map((link) => (
                      <Mark
                        key={link.id}
                        kind={link.up ? 'ok' : 'error'}
                        word={`${link.id} ${link.up ? `up${link.rttMs === null ? '' : ` ${link.rttMs.toFixed(1)}ms`}` : 'down'}`}
                      />
                    ))}
                  </Box>
                );
              })
            )}
          </Box>
        );
      })}
    </Box>
  );
}
