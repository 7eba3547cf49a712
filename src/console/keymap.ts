// The one key registry: it drives the key handling, the help screen and the footer hints.
import type { Key } from 'ink';

export type Pane = 'tree' | 'heartbeat' | 'alerts' | 'logs';
export const PANES: { id: Pane; title: string }[] = [
  { id: 'tree', title: 'Cluster' },
  { id: 'heartbeat', title: 'Heartbeats' },
  { id: 'alerts', title: 'Alerts' },
  { id: 'logs', title: 'Logs' },
];

export type KeyAction =
  | 'next-pane'
  | 'prev-pane'
  | 'up'
  | 'down'
  | 'open'
  | 'back'
  | 'quit'
  | 'help'
  | 'filter'
  | 'palette'
  | 'move'
  | 'start-stop'
  | 'suspend-resume'
  | 'ack'
  | 'ack-all'
  | 'log-node'
  | 'drill'
  | 'drill-save'
  | 'drill-stop';

export interface KeyBinding {
  action: KeyAction;
  /** How the help screen and the footer write the key. */
  keys: string;
  description: string;
  /** The panes where it works; undefined: everywhere. */
  panes?: Pane[];
  /** Changes the cluster: hidden and disabled with --read-only. */
  changes?: boolean;
  /** Shown in the footer. */
  hint?: boolean;
  match(input: string, key: Key): boolean;
}

export const KEYMAP: KeyBinding[] = [
  {
    action: 'next-pane',
    keys: 'Tab',
    description: 'next pane',
    hint: true,
    match: (_i, k) => k.tab && !k.shift,
  },
  {
    action: 'prev-pane',
    keys: 'Shift-Tab',
    description: 'previous pane',
    match: (_i, k) => k.tab && k.shift,
  },
  { action: 'up', keys: '↑/k', description: 'move up', match: (i, k) => k.upArrow || i === 'k' },
  { action: 'down', keys: '↓/j', description: 'move down', match: (i, k) => k.downArrow || i === 'j' },
  {
    action: 'open',
    keys: 'Enter',
    description: 'drill into the selected item',
    hint: true,
    match: (_i, k) => k.return,
  },
  {
    action: 'back',
    keys: 'Esc',
    description: 'back (close details, help, filter, palette)',
    match: (_i, k) => k.escape,
  },
  { action: 'filter', keys: '/', description: 'filter the pane', hint: true, match: (i) => i === '/' },
  { action: 'palette', keys: ':', description: 'command palette', hint: true, match: (i) => i === ':' },
  {
    action: 'move',
    keys: 'm',
    description: 'move the selected group (asks for the server)',
    panes: ['tree'],
    changes: true,
    hint: true,
    match: (i) => i === 'm',
  },
  {
    action: 'start-stop',
    keys: 's',
    description: 'start or stop the selected group',
    panes: ['tree'],
    changes: true,
    match: (i) => i === 's',
  },
  {
    action: 'suspend-resume',
    keys: 'p',
    description: 'suspend or resume the selected monitor',
    panes: ['tree'],
    changes: true,
    match: (i) => i === 'p',
  },
  {
    action: 'ack',
    keys: 'a',
    description: 'acknowledge the selected alert',
    panes: ['alerts'],
    changes: true,
    hint: true,
    match: (i) => i === 'a',
  },
  {
    action: 'ack-all',
    keys: 'A',
    description: 'acknowledge every alert',
    panes: ['alerts'],
    changes: true,
    match: (i) => i === 'A',
  },
  {
    action: 'log-node',
    keys: 'n',
    description: 'logs: next node (merged, then one node at a time)',
    panes: ['logs'],
    hint: true,
    match: (i) => i === 'n',
  },
  {
    action: 'drill',
    keys: 'D',
    description: 'failover drill: pick a drill and a target, confirm, watch its timeline',
    changes: true,
    hint: true,
    match: (i) => i === 'D',
  },
  {
    action: 'drill-save',
    keys: 'w',
    description: 'drill view: save the report (Markdown and JSON)',
    match: (i) => i === 'w',
  },
  {
    action: 'drill-stop',
    keys: 'x',
    description: 'drill view: stop the drill (take the fault back now)',
    changes: true,
    match: (i) => i === 'x',
  },
  { action: 'help', keys: '?', description: 'help: every key', hint: true, match: (i) => i === '?' },
  { action: 'quit', keys: 'q', description: 'quit (also Ctrl-C)', hint: true, match: (i) => i === 'q' },
];

/** The bindings usable in a pane, without state-changing ones when read-only. */
export function bindingsFor(pane: Pane | undefined, readOnly: boolean): KeyBinding[] {
  return KEYMAP.filter(
    (binding) => (!binding.changes || !readOnly) && (!pane || !binding.panes || binding.panes.includes(pane)),
  );
}

export function findBinding(pane: Pane, readOnly: boolean, input: string, key: Key): KeyBinding | undefined {
  return bindingsFor(pane, readOnly).find((binding) => binding.match(input, key));
}
