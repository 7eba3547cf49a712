// The clusters of the console config, one shown at a time: `:cluster NAME` closes the shown
// cluster's connections and opens the other's, with a fresh console (selection, filters, alerts seen).
import { useEffect, useState } from 'react';
import { App, type AppProps } from './app.js';
import { LiveStore } from './data/live-store.js';
import type { NodeSource } from './data/node-source.js';
import type { ConsoleStore } from './data/types.js';

export interface ClustersProps extends Omit<AppProps, 'store' | 'switchCluster'> {
  /** The clusters the operator can switch between, each a list of nodes. */
  clusters: Map<string, NodeSource[]>;
  initial: string;
}

interface Shown {
  name: string;
  store: ConsoleStore;
  /** A new console for every switch, even back to the same cluster. */
  generation: number;
}

export function Clusters({ clusters, initial, ...props }: ClustersProps) {
  const [shown, setShown] = useState<Shown>(() => ({
    name: initial,
    store: new LiveStore(clusters.get(initial) ?? []),
    generation: 0,
  }));
  // Closes the connections of a cluster once it is no longer shown (or the console ends).
  useEffect(() => () => shown.store.close(), [shown]);
  const switchCluster = (name: string): string | undefined => {
    const sources = clusters.get(name);
    if (!sources) return `no cluster "${name}" (known: ${[...clusters.keys()].join(', ') || 'none'})`;
    setShown((current) => ({ name, store: new LiveStore(sources), generation: current.generation + 1 }));
    return undefined;
  };
  return <App key={shown.generation} {...props} store={shown.store} switchCluster={switchCluster} />;
}
