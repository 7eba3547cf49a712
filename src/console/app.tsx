// The console: header, panes (cluster tree, heartbeat matrix, alerts, logs), status line with each
// node's connection state, footer hints from the key registry; help, filter, command palette and the
// confirmation of state-changing actions with progress until the status shows the outcome.
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Mark, ThemeContext, Tok, useTheme } from './components.js';
import { clusterModel, type ClusterModel } from './data/cluster-model.js';
import type { ConsoleStore } from './data/types.js';
import { KEYMAP, PANES, bindingsFor, findBinding, type Pane } from './keymap.js';
import { PALETTE_COMMANDS, parsePalette, type PaletteResult, type Watch } from './palette.js';
import type { Theme } from './theme.js';
import { AlertsView, filterAlerts } from './views/alerts.js';
import { CollectView, useCollect } from './views/collect.js';
import { DrillView, useDrill } from './views/drill.js';
import { HeartbeatView } from './views/heartbeat.js';
import { LogsView, filterLogs } from './views/logs.js';
import { TreeView, treeRows } from './views/tree.js';

export interface AppProps {
  store: ConsoleStore;
  theme: Theme;
  readOnly?: boolean;
  /** Themes by name, for `:theme NAME`; returns an error message instead when it cannot. */
  loadTheme?: (name: string) => Theme | string;
  /** Switches to a cluster of the console config; returns an error message when it cannot. */
  switchCluster?: (name: string) => string | undefined;
  /** Rows of the screen (default: the terminal's, else 40). */
  rows?: number;
  /** Rings the terminal bell (a new critical alert). */
  bell?: () => void;
  /** How long to wait for the outcome of an action before saying so. */
  outcomeTimeoutMs?: number;
  /** How long a drill's fault lasts (default 30 s). */
  drillSeconds?: number;
}

type Mode =
  | { kind: 'normal' }
  | { kind: 'help' }
  | { kind: 'input'; purpose: 'filter' | 'palette'; text: string }
  | { kind: 'confirm'; result: Extract<PaletteResult, { kind: 'request' }> };

interface Progress {
  watch: Watch;
  text: string;
  done: boolean;
  since: number;
}

export function App(props: AppProps) {
  const [theme, setTheme] = useState(props.theme);
  return (
    <ThemeContext.Provider value={theme}>
      <Console {...props} setTheme={setTheme} />
    </ThemeContext.Provider>
  );
}

function Console(props: AppProps & { setTheme: (theme: Theme) => void }) {
  const { store, readOnly = false } = props;
  const data = useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.getSnapshot(),
  );
  const model = useMemo(() => clusterModel(data), [data]);
  const app = useApp();
  const { stdout } = useStdout();
  const theme = useTheme();
  const rows = props.rows ?? stdout?.rows ?? 40;
  // Ink lays out again on a resize but does not render: render, so that the body's height and the
  // tree rows' width (they go to ink as stand-ins only when they fit) follow the terminal's size.
  const [, setResized] = useState(0);
  useEffect(() => {
    if (!stdout) return;
    const onResize = () => setResized((count) => count + 1);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  const [pane, setPane] = useState<Pane>('tree');
  // The latest pane, for keys that arrive before React has rendered the previous one (a pasted Tab j).
  const paneNow = useRef(pane);
  paneNow.current = pane;
  const [selected, setSelected] = useState<Record<Pane, number>>({
    tree: 0,
    heartbeat: 0,
    alerts: 0,
    logs: 0,
  });
  // The latest selection, for keys that arrive before React has rendered the previous one (a paste).
  const selectedNow = useRef(selected);
  selectedNow.current = selected;
  const [filters, setFilters] = useState<Record<Pane, string>>({
    tree: '',
    heartbeat: '',
    alerts: '',
    logs: '',
  });
  const [detail, setDetail] = useState<string[] | undefined>();
  const [mode, setModeState] = useState<Mode>({ kind: 'normal' });
  // Keys can arrive faster than renders: the input handler reads the mode from a ref.
  const modeRef = useRef<Mode>(mode);
  const setMode = (next: Mode) => {
    modeRef.current = next;
    setModeState(next);
  };
  const [message, setMessage] = useState<string | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [logNode, setLogNode] = useState<string | undefined>();
  const seenCritical = useRef<Set<string> | undefined>(undefined);
  const [unseenCritical, setUnseenCritical] = useState(0);
  const collect = useCollect(store);
  const viewNow = useRef(model.view);
  viewNow.current = model.view;
  const drill = useDrill(store, () => viewNow.current, props.drillSeconds);

  const tree = useMemo(() => treeRows(model, filters.tree), [model, filters.tree]);
  const alerts = useMemo(() => filterAlerts(model.alerts, filters.alerts), [model.alerts, filters.alerts]);
  const logs = useMemo(
    () => filterLogs(model.logs, logNode, filters.logs),
    [model.logs, logNode, filters.logs],
  );
  const counts: Record<Pane, number> = { tree: tree.length, heartbeat: 0, alerts: alerts.length, logs: 0 };

  // A new critical alert rings the bell and marks the header until the alerts pane is seen.
  useEffect(() => {
    const critical = model.alerts.filter((alert) => alert.severity === 'critical' && !alert.ack);
    if (seenCritical.current === undefined) {
      if (model.reachable.length === 0) return;
      seenCritical.current = new Set(critical.map((alert) => alert.id));
      return;
    }
    const fresh = critical.filter((alert) => !seenCritical.current?.has(alert.id));
    if (fresh.length === 0) return;
    for (const alert of fresh) seenCritical.current.add(alert.id);
    if (pane !== 'alerts') {
      setUnseenCritical((count) => count + fresh.length);
      (props.bell ?? (() => stdout?.write('\x07')))();
    }
  }, [model.alerts, model.reachable.length, pane, props.bell, stdout]);
  useEffect(() => {
    if (pane === 'alerts') setUnseenCritical(0);
  }, [pane]);

  // Progress of an action: done when the status shows its outcome.
  useEffect(() => {
    if (!progress || progress.done || !model.view) return;
    const outcome = progress.watch.done(model.view);
    if (outcome) setProgress({ ...progress, text: outcome, done: true });
  }, [model.view, progress]);
  useEffect(() => {
    if (!progress || progress.done) return;
    const timer = setTimeout(
      () =>
        setProgress((current) =>
          current === progress
            ? {
                ...current,
                done: true,
                text: `${current.watch.doing}: no outcome in the status yet; watch the tree`,
              }
            : current,
        ),
      props.outcomeTimeoutMs ?? 60_000,
    );
    return () => clearTimeout(timer);
  }, [progress, props.outcomeTimeoutMs]);

  const run = (result: PaletteResult) => {
    switch (result.kind) {
      case 'error':
      case 'message':
        setMessage(result.text);
        return;
      case 'quit':
        app.exit();
        return;
      case 'help':
        setMode({ kind: 'help' });
        return;
      case 'theme': {
        const loaded = props.loadTheme?.(result.name) ?? `theme ${result.name}: cannot switch themes here`;
        if (typeof loaded === 'string') setMessage(loaded);
        else {
          props.setTheme(loaded);
          setMessage(`theme ${loaded.name}`);
        }
        return;
      }
      case 'cluster': {
        const error = props.switchCluster
          ? props.switchCluster(result.name)
          : `cluster ${result.name}: no clusters configured (~/.config/vigil/console.yaml)`;
        setMessage(error ?? `cluster ${result.name}`);
        return;
      }
      case 'request':
        setMode({ kind: 'confirm', result });
        return;
      case 'collect':
        setMessage(collect.start());
        return;
    }
  };

  const confirm = (result: Extract<PaletteResult, { kind: 'request' }>) => {
    const started: Progress = {
      watch: result.watch,
      text: `${result.watch.doing}…`,
      done: false,
      since: Date.now(),
    };
    setProgress(started);
    setMessage(undefined);
    store.send(result.request).then(
      (answer) => {
        if (result.request.kind === 'ack') setProgress({ ...started, text: answer, done: true });
        else
          setProgress((current) =>
            current === started ? { ...started, text: `${result.watch.doing}… (${answer})` } : current,
          );
      },
      (error: Error) => setProgress({ ...started, text: `refused: ${error.message}`, done: true }),
    );
  };

  const actionFor = (action: string, pane: Pane): string | undefined => {
    const selected = selectedNow.current;
    const selectedRow = tree[selected.tree];
    if (pane === 'tree' && selectedRow) {
      const group = model.view?.groups.find((candidate) => candidate.name === selectedRow.name);
      const monitor = model.view?.monitors.find((candidate) => candidate.name === selectedRow.name);
      if (action === 'move' && selectedRow.kind === 'group') return `move ${selectedRow.name} `;
      if (action === 'start-stop' && selectedRow.kind === 'group' && group)
        return `${group.run && group.state !== 'offline' ? 'stop' : 'start'} ${group.name}`;
      if (action === 'suspend-resume' && selectedRow.kind === 'monitor' && monitor)
        return `${monitor.suspended ? 'resume' : 'suspend'} ${monitor.name}`;
    }
    if (pane === 'alerts') {
      if (action === 'ack' && alerts[selected.alerts]) return `ack ${alerts[selected.alerts]?.id}`;
      if (action === 'ack-all') return 'ack all';
    }
    return undefined;
  };

  // A paste (or keys sent faster than one read) arrives as one input of several characters: take
  // them one at a time, as if typed, so `:move web s2⏎` pasted in does what typing it does.
  useInput((input: string, key: Key) => {
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b')) {
      const none = Object.fromEntries(Object.keys(key).map((name) => [name, false])) as unknown as Key;
      for (const char of input)
        handleKey(char === '\r' ? '' : char, { ...none, return: char === '\r', tab: char === '\t' });
      return;
    }
    handleKey(input, key);
  });

  const handleKey = (input: string, key: Key) => {
    const mode = modeRef.current;
    const pane = paneNow.current;
    if (mode.kind === 'input') {
      if (key.escape) {
        if (mode.purpose === 'filter') setFilters((current) => ({ ...current, [pane]: '' }));
        setMode({ kind: 'normal' });
      } else if (key.return) {
        setMode({ kind: 'normal' });
        if (mode.purpose === 'palette') run(parsePalette(mode.text, model.view, readOnly));
      } else if (key.backspace || key.delete) {
        const text = mode.text.slice(0, -1);
        setMode({ ...mode, text });
        if (mode.purpose === 'filter') setFilters((current) => ({ ...current, [pane]: text }));
      } else if (input && !key.ctrl && !key.meta) {
        const text = mode.text + input;
        setMode({ ...mode, text });
        if (mode.purpose === 'filter') setFilters((current) => ({ ...current, [pane]: text }));
      }
      return;
    }
    if (mode.kind === 'confirm') {
      if (input === 'y' || input === 'Y') {
        setMode({ kind: 'normal' });
        confirm(mode.result);
      } else if (input === 'n' || input === 'N' || key.escape) {
        setMode({ kind: 'normal' });
        setMessage('cancelled');
      }
      return;
    }
    if (mode.kind === 'help') {
      if (key.escape || input === '?' || input === 'q') setMode({ kind: 'normal' });
      return;
    }
    if (drill.handleKey(input, key)) return;
    const binding = findBinding(pane, readOnly, input, key);
    if (!binding) return;
    // Functional update: keys can arrive faster than renders, and each must move from the latest row.
    const move = (delta: number) =>
      setSelected((current) => {
        const next = { ...current, [pane]: Math.max(0, Math.min(counts[pane] - 1, current[pane] + delta)) };
        selectedNow.current = next;
        return next;
      });
    switch (binding.action) {
      case 'next-pane':
      case 'prev-pane': {
        const step = binding.action === 'next-pane' ? 1 : PANES.length - 1;
        // From the latest pane: a second Tab can arrive before the first one has been rendered.
        const index = PANES.findIndex((candidate) => candidate.id === pane);
        const next = (PANES[(index + step) % PANES.length] as (typeof PANES)[number]).id;
        paneNow.current = next;
        setPane(next);
        setDetail(undefined);
        return;
      }
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'open': {
        const lines = pane === 'tree' ? tree[selectedNow.current.tree]?.details() : undefined;
        if (lines && lines.length > 0) setDetail(lines);
        const alert = alerts[selectedNow.current.alerts];
        if (pane === 'alerts' && alert) {
          setDetail([
            `alert ${alert.id} (${alert.severity}, ${alert.kind}) from ${alert.server} at ${alert.at}`,
            alert.message,
            alert.ack
              ? `acknowledged by ${alert.ack.by} at ${alert.ack.at}${alert.ack.note ? `: ${alert.ack.note}` : ''}`
              : 'not acknowledged',
          ]);
        }
        return;
      }
      case 'back':
        collect.close();
        setDetail(undefined);
        setMessage(undefined);
        if (progress?.done) setProgress(undefined);
        return;
      case 'quit':
        app.exit();
        return;
      case 'help':
        setMode({ kind: 'help' });
        return;
      case 'filter':
        setMode({ kind: 'input', purpose: 'filter', text: filters[pane] });
        return;
      case 'palette':
        setMode({ kind: 'input', purpose: 'palette', text: '' });
        return;
      case 'drill':
        setMessage(drill.open());
        return;
      case 'drill-save':
      case 'drill-stop':
        setMessage(`${binding.keys}: only in the drill view (D)`);
        return;
      case 'log-node': {
        const names = model.nodes.map((node) => node.name);
        const index = logNode === undefined ? -1 : names.indexOf(logNode);
        setLogNode(index + 1 >= names.length ? undefined : names[index + 1]);
        return;
      }
      default: {
        const command = actionFor(binding.action, pane);
        if (!command) {
          setMessage(
            `${binding.keys}: ${binding.description}: select ${binding.panes?.includes('alerts') ? 'an alert' : binding.action === 'suspend-resume' ? 'a monitor' : 'a group'} first`,
          );
          return;
        }
        if (binding.action === 'move') setMode({ kind: 'input', purpose: 'palette', text: command });
        else run(parsePalette(command, model.view, readOnly));
      }
    }
  };

  const bodyHeight = Math.max(3, rows - 6);
  // The body's border and padding take 4 columns.
  const BODY_FRAME = 4;
  return (
    <Box flexDirection="column" height={props.rows ?? stdout?.rows}>
      <Header model={model} pane={pane} unseenCritical={unseenCritical} readOnly={readOnly} />
      <Box
        flexDirection="column"
        flexGrow={1}
        borderStyle="round"
        borderColor={theme.color('border')}
        paddingX={1}
      >
        {mode.kind === 'help' ? (
          <Help readOnly={readOnly} />
        ) : drill.state ? (
          <DrillView state={drill.state} />
        ) : collect.state ? (
          <CollectView state={collect.state} />
        ) : detail ? (
          <Box flexDirection="column">
            {detail.map((line, index) => (
              <Text key={index}>{line}</Text>
            ))}
            <Tok token="muted">Esc: back</Tok>
          </Box>
        ) : pane === 'tree' ? (
          model.view ? (
            <TreeView
              rows={tree}
              selected={selected.tree}
              height={bodyHeight}
              width={stdout?.columns ? stdout.columns - BODY_FRAME : undefined}
            />
          ) : (
            <Tok token="muted">no node of the cluster is reachable yet</Tok>
          )
        ) : pane === 'heartbeat' ? (
          <HeartbeatView model={model} />
        ) : pane === 'alerts' ? (
          <AlertsView alerts={alerts} selected={selected.alerts} height={bodyHeight} />
        ) : (
          <LogsView lines={logs} node={logNode} height={bodyHeight} />
        )}
      </Box>
      {mode.kind === 'confirm' ? (
        <Text>
          <Tok token="status.warning" bold>
            {mode.result.question}
          </Tok>
          {' [y/N]'}
        </Text>
      ) : mode.kind === 'input' ? (
        <Text>
          <Tok token="focus">{mode.purpose === 'palette' ? ':' : '/'}</Tok>
          {mode.text}
          <Tok token="muted">
            {mode.purpose === 'palette'
              ? '   (Enter runs, Esc closes; ? lists commands)'
              : '   (Enter keeps, Esc clears)'}
          </Tok>
        </Text>
      ) : progress ? (
        <Mark
          kind={progress.done ? (progress.text.startsWith('refused') ? 'error' : 'ok') : 'warning'}
          word={progress.text}
        />
      ) : (
        <Text>{message ?? (filters[pane] ? `filter: ${filters[pane]}` : ' ')}</Text>
      )}
      <StatusLine model={model} />
      <Footer pane={pane} readOnly={readOnly} />
    </Box>
  );
}

function Header({
  model,
  pane,
  unseenCritical,
  readOnly,
}: {
  model: ClusterModel;
  pane: Pane;
  unseenCritical: number;
  readOnly: boolean;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Tok token="header" bold>{`vigil · ${model.name ?? 'cluster'}`}</Tok>
        {readOnly ? <Tok token="muted">{' (read-only)'}</Tok> : null}
        {'  '}
        {PANES.map((candidate) => (
          <Text
            key={candidate.id}
            color={candidate.id === pane ? theme.color('focus') : theme.color('muted')}
            bold={candidate.id === pane}
            underline={candidate.id === pane}
          >
            {` ${candidate.title} `}
          </Text>
        ))}
        {unseenCritical > 0 ? (
          <Mark
            kind="error"
            word={`  ${unseenCritical} new critical alert${unseenCritical === 1 ? '' : 's'}`}
          />
        ) : null}
      </Text>
      {model.disagreements.length > 0 ? (
        <Text wrap="truncate-end">
          <Mark kind="error" word="nodes disagree: possible partition: " />
          {model.disagreements.join('; ')}
        </Text>
      ) : null}
    </Box>
  );
}

/**
 * Every node's connection state on one line; why a node is unreachable on lines of its own below,
 * wrapped: a long reason (a changed host key names the known_hosts file and line) would otherwise
 * be cut off, and hide the nodes after it.
 */
function StatusLine({ model }: { model: ClusterModel }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Tok token="muted">nodes: </Tok>
        {model.nodes.map((node, index) => (
          <Text key={`${node.name}:${index}`}>
            {index > 0 ? '  ' : ''}
            {`${node.name} `}
            {node.connection.kind === 'connected' ? (
              <Mark kind="ok" word="connected" />
            ) : node.connection.kind === 'connecting' ? (
              <Mark kind="unknown" word="connecting" />
            ) : (
              <Mark kind="error" word="unreachable" />
            )}
          </Text>
        ))}
      </Text>
      {model.nodes.map((node, index) =>
        node.connection.kind === 'unreachable' ? (
          <Text key={`${node.name}:${index}:reason`}>
            <Tok token="muted">{`${node.name} unreachable: `}</Tok>
            {node.connection.reason}
          </Text>
        ) : null,
      )}
    </Box>
  );
}

/** The same for every update of the cluster: rendered again only when the pane changes. */
const Footer = memo(function Footer({ pane, readOnly }: { pane: Pane; readOnly: boolean }) {
  const hints = bindingsFor(pane, readOnly).filter((binding) => binding.hint);
  return (
    <Text wrap="truncate-end">
      {hints.map((binding, index) => (
        <Text key={binding.action}>
          {index > 0 ? '  ' : ''}
          <Tok token="focus" bold>
            {binding.keys}
          </Tok>
          <Tok token="muted">{` ${binding.description}`}</Tok>
        </Text>
      ))}
    </Text>
  );
});

function Help({ readOnly }: { readOnly: boolean }) {
  const keys = bindingsFor(undefined, readOnly);
  const commands = PALETTE_COMMANDS.filter((command) => !command.changes || !readOnly);
  return (
    <Box flexDirection="column">
      <Tok token="header" bold>
        keys
      </Tok>
      {keys.map((binding) => (
        <Text key={binding.action}>
          <Tok token="focus">{binding.keys.padEnd(10)}</Tok>
          {` ${binding.description}${binding.panes ? ` (${binding.panes.join(', ')})` : ''}`}
        </Text>
      ))}
      <Tok token="header" bold>
        commands (after :)
      </Tok>
      {commands.map((command) => (
        <Text key={command.usage}>
          <Tok token="focus">{command.usage.padEnd(18)}</Tok>
          {` ${command.description}`}
        </Text>
      ))}
      <Tok token="muted">{`Esc or ? closes this help · ${KEYMAP.length} keys`}</Tok>
    </Box>
  );
}
