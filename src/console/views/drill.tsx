// The drill view (key D): pick a drill and its target with the keys, confirm with the effect named,
// then watch the timeline as the agents log it, and save the report (key w).
import { Box, Text, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { StatusSnapshot } from '../../control/protocol.js';
import { stepLine } from '../../drills/report.js';
import {
  DEFAULT_DRILL_SECONDS,
  DRILLS,
  DRILL_KINDS,
  type DrillKind,
  type DrillState,
} from '../../drills/types.js';
import { Mark, Tok } from '../components.js';
import type { ConsoleStore } from '../data/types.js';
import { KEYMAP, type KeyAction } from '../keymap.js';

export type DrillStage =
  | { stage: 'kind'; index: number }
  | { stage: 'target'; kind: DrillKind; targets: string[]; index: number }
  | { stage: 'confirm'; kind: DrillKind; target: string }
  | { stage: 'starting'; kind: DrillKind; target: string }
  | { stage: 'watch'; drill: DrillState; saved?: string; error?: string };

const POLL_MS = 500;

/** What a drill can target in the cluster as `view` shows it. */
export function drillTargets(kind: DrillKind, view: StatusSnapshot | undefined): string[] {
  if (!view) return [];
  switch (kind) {
    case 'dummy-failure':
      return view.monitors.map((m) => m.name);
    case 'heartbeat-loss':
      return view.servers.map((s) => s.name);
    case 'process-stop':
      return view.groups.flatMap((g) =>
        g.resources.filter((r) => r.type === 'exec').map((r) => `${g.name}/${r.name}`),
      );
  }
}

/** The drill view's state and keys; `handleKey` answers whether it took the key. */
export function useDrill(
  store: ConsoleStore,
  view: () => StatusSnapshot | undefined,
  durationSeconds = DEFAULT_DRILL_SECONDS,
) {
  const [state, setStateRaw] = useState<DrillStage | undefined>();
  // Keys can come faster than renders: read the latest stage from a ref.
  const now = useRef(state);
  const setState = (next: DrillStage | undefined) => {
    now.current = next;
    setStateRaw(next);
  };
  const watched = state?.stage === 'watch' && state.drill.state === 'running' ? state.drill.id : undefined;
  useEffect(() => {
    if (!watched || !store.drill) return;
    const calls = store.drill;
    const timer = setInterval(() => {
      calls.get(watched).then(
        (drill) => {
          const current = now.current;
          if (current?.stage === 'watch' && current.drill.id === drill.id) setState({ ...current, drill });
        },
        () => undefined, // the next poll tries again; the agent may be busy
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [watched, store.drill]);

  const open = (): string | undefined => {
    if (!store.drill) return 'drill: this console has no cluster to drill';
    if (now.current?.stage === 'watch' && now.current.drill.state === 'running') {
      setState({ ...now.current });
      return undefined;
    }
    setState({ stage: 'kind', index: 0 });
    return undefined;
  };

  const action = (input: string, key: Key): KeyAction | undefined =>
    KEYMAP.find((binding) => binding.match(input, key))?.action;

  const handleKey = (input: string, key: Key): boolean => {
    const current = now.current;
    if (!current) return false;
    const act = action(input, key);
    if (act === 'quit') return false;
    switch (current.stage) {
      case 'kind': {
        if (act === 'up' || act === 'down')
          setState({ ...current, index: step(current.index, act, DRILL_KINDS.length) });
        else if (act === 'open') {
          const kind = DRILL_KINDS[current.index] as DrillKind;
          setState({ stage: 'target', kind, targets: drillTargets(kind, view()), index: 0 });
        } else if (act === 'back') setState(undefined);
        return true;
      }
      case 'target': {
        if (act === 'up' || act === 'down')
          setState({ ...current, index: step(current.index, act, current.targets.length) });
        else if (act === 'open' && current.targets[current.index] !== undefined)
          setState({
            stage: 'confirm',
            kind: current.kind,
            target: current.targets[current.index] as string,
          });
        else if (act === 'back') setState({ stage: 'kind', index: DRILL_KINDS.indexOf(current.kind) });
        return true;
      }
      case 'confirm': {
        if (input === 'y' || input === 'Y') start(current.kind, current.target);
        else if (input === 'n' || input === 'N' || act === 'back') setState(undefined);
        return true;
      }
      case 'starting':
        return true;
      case 'watch': {
        const calls = store.drill;
        if (act === 'drill-save' && calls) {
          try {
            setState({ ...current, saved: calls.save(current.drill) });
          } catch (error) {
            setState({ ...current, error: `cannot save the report: ${(error as Error).message}` });
          }
        } else if (act === 'drill-stop' && calls && current.drill.state === 'running') {
          calls
            .stop(current.drill.id)
            .catch((error: Error) => setState({ ...current, error: error.message }));
        } else if (act === 'back') setState(undefined); // a running drill goes on; D shows it again
        return true;
      }
    }
  };

  const start = (kind: DrillKind, target: string) => {
    const calls = store.drill;
    if (!calls) return;
    setState({ stage: 'starting', kind, target });
    calls.start({ kind, target, durationSeconds }).then(
      (drill) => setState({ stage: 'watch', drill }),
      (error: Error) =>
        setState({
          stage: 'watch',
          error: `refused: ${error.message}`,
          drill: {
            id: '-',
            kind,
            target,
            group: null,
            source: null,
            faultServer: '-',
            durationSeconds,
            startedAt: new Date().toISOString(),
            state: 'failed',
            message: error.message,
            timeline: [],
          },
        }),
    );
  };

  return { state, open, handleKey };
}

function step(index: number, act: 'up' | 'down', count: number): number {
  return Math.max(0, Math.min(count - 1, index + (act === 'up' ? -1 : 1)));
}

export function DrillView({ state }: { state: DrillStage }) {
  switch (state.stage) {
    case 'kind':
      return (
        <Box flexDirection="column">
          <Tok token="header" bold>
            failover drill: pick a drill (Enter)
          </Tok>
          {DRILL_KINDS.map((kind, index) => (
            <Choice
              key={kind}
              selected={index === state.index}
              text={`${kind.padEnd(15)} ${DRILLS[kind].effect}`}
            />
          ))}
          <Tok token="muted">Esc: back</Tok>
        </Box>
      );
    case 'target':
      return (
        <Box flexDirection="column">
          <Tok token="header" bold>{`${state.kind}: pick the ${DRILLS[state.kind].target} (Enter)`}</Tok>
          {state.targets.length === 0 ? (
            <Tok token="muted">{`no ${DRILLS[state.kind].target} to drill`}</Tok>
          ) : null}
          {state.targets.map((target, index) => (
            <Choice key={target} selected={index === state.index} text={target} />
          ))}
          <Tok token="muted">Esc: back to the drills</Tok>
        </Box>
      );
    case 'confirm':
      return (
        <Box flexDirection="column">
          <Tok token="status.warning" bold>{`run drill ${state.kind} on ${state.target}?`}</Tok>
          <Text>{`effect: ${DRILLS[state.kind].effect}; taken back by itself when the drill's time is up`}</Text>
          <Text>{'[y/N]'}</Text>
        </Box>
      );
    case 'starting':
      return <Mark kind="warning" word={`starting drill ${state.kind} on ${state.target}…`} />;
    case 'watch': {
      const { drill } = state;
      return (
        <Box flexDirection="column">
          <Tok
            token="header"
            bold
          >{`drill ${drill.kind} on ${drill.target} (fault on ${drill.faultServer})`}</Tok>
          {drill.timeline.map((s) => (
            <Text key={`${s.step}${s.at}`} wrap="truncate-end">
              {stepLine(s)}
            </Text>
          ))}
          {drill.state === 'running' ? (
            <Mark kind="warning" word="running…" />
          ) : (
            <Mark kind={drill.state === 'done' ? 'ok' : 'error'} word={`${drill.state}: ${drill.message}`} />
          )}
          {state.saved ? <Text>{`report written: ${state.saved}`}</Text> : null}
          {state.error ? <Mark kind="error" word={state.error} /> : null}
          <Tok token="muted">
            {drill.state === 'running'
              ? 'x: stop the drill · w: save the report · Esc: back'
              : 'w: save the report · Esc: back'}
          </Tok>
        </Box>
      );
    }
  }
}

function Choice({ selected, text }: { selected: boolean; text: string }) {
  return selected ? <Tok token="focus" bold>{`› ${text}`}</Tok> : <Text>{`  ${text}`}</Text>;
}
