// :collect — every server's logs into a bundle file (src/collect), with a progress bar per server
// while it runs and the path written at the end. Read-only on the cluster, so --read-only allows it;
// it writes a local file (in the console's current directory).
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { byteSize } from '../../collect/byte-size.js';
import type { NodeProgress } from '../../collect/collect.js';
import { Mark, Tok } from '../components.js';
import type { CollectOutcome, ConsoleStore } from '../data/types.js';

export interface CollectState {
  /** Per server, in the order the collection named them. */
  nodes: NodeProgress[];
  outcome?: CollectOutcome;
  error?: string;
}

const BAR_WIDTH = 24;

export function isFinished(state: CollectState): boolean {
  return state.outcome !== undefined || state.error !== undefined;
}

/** Runs :collect through the store; `start` answers a message when it cannot start. */
export function useCollect(store: ConsoleStore) {
  const [state, setState] = useState<CollectState | undefined>();
  // Starting twice before a render must not run two collections.
  const running = useRef(false);
  const start = (): string | undefined => {
    if (!store.collect) return 'collect: this console has no cluster to collect from';
    if (running.current) return 'collect: already collecting';
    running.current = true;
    setState({ nodes: [] });
    const update = (change: (current: CollectState) => CollectState) =>
      setState((current) => change(current ?? { nodes: [] }));
    store
      .collect((progress) => update((current) => ({ ...current, nodes: upsert(current.nodes, progress) })))
      .then(
        (outcome) => update((current) => ({ ...current, outcome })),
        (error: Error) => update((current) => ({ ...current, error: error.message })),
      )
      .finally(() => (running.current = false));
    return undefined;
  };
  /** Esc: closes the view once the collection has finished; true when it did. */
  const close = (): boolean => {
    if (!state || !isFinished(state)) return false;
    setState(undefined);
    return true;
  };
  return { state, start, close };
}

function upsert(nodes: NodeProgress[], progress: NodeProgress): NodeProgress[] {
  const index = nodes.findIndex((node) => node.node === progress.node);
  if (index < 0) return [...nodes, progress];
  const next = nodes.slice();
  next[index] = progress;
  return next;
}

export function CollectView({ state }: { state: CollectState }) {
  const width = Math.max(...state.nodes.map((node) => node.node.length), 4);
  return (
    <Box flexDirection="column">
      <Tok token="header" bold>
        collecting logs of every server
      </Tok>
      {state.nodes.length === 0 && !isFinished(state) ? <Tok token="muted">asking the cluster…</Tok> : null}
      {state.nodes.map((node) => (
        <Text key={node.node} wrap="truncate-end">
          {`${node.node.padEnd(width)} `}
          <NodeLine progress={node} />
        </Text>
      ))}
      {state.outcome ? <Written outcome={state.outcome} /> : null}
      {state.error ? <Mark kind="error" word={`collect failed: ${state.error}`} /> : null}
      <Tok token="muted">{isFinished(state) ? 'Esc: back' : 'collecting… (Esc closes when done)'}</Tok>
    </Box>
  );
}

function NodeLine({ progress }: { progress: NodeProgress }) {
  switch (progress.phase) {
    case 'waiting':
      return <Tok token="muted">{`${bar(0)} waiting`}</Tok>;
    case 'log': {
      const share = progress.total > 0 ? progress.bytes / progress.total : 0;
      return (
        <Text>
          <Tok token="focus">{bar(share)}</Tok>
          {` ${String(Math.floor(share * 100)).padStart(3)}% ${byteSize(progress.bytes)}`}
        </Text>
      );
    }
    case 'done':
      return (
        <Text>
          <Tok token="status.ok">{bar(1)}</Tok>{' '}
          <Mark kind="ok" word={`done, ${byteSize(progress.bytes)} of log`} />
        </Text>
      );
    case 'failed':
      return <Mark kind="error" word={`failed: ${progress.error}`} />;
  }
}

function Written({ outcome }: { outcome: CollectOutcome }) {
  const failed = outcome.failed.map((node) => node.name).join(', ');
  return (
    <Box flexDirection="column">
      <Mark
        kind={outcome.collected === 0 ? 'error' : outcome.failed.length > 0 ? 'warning' : 'ok'}
        word={`collected ${outcome.collected} of ${outcome.total} servers${failed ? `; failed: ${failed} (see manifest.json)` : ''}`}
      />
      <Text>{`written: ${outcome.path}`}</Text>
    </Box>
  );
}

function bar(share: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}
