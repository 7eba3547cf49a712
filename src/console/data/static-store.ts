// A store with data set by hand: for tests, the benchmark and screenshots.
import type { ClusterRequest, ConsoleData, ConsoleStore, NodeData } from './types.js';

export class StaticStore implements ConsoleStore {
  private data: ConsoleData;
  private readonly listeners = new Set<() => void>();
  readonly sent: ClusterRequest[] = [];

  constructor(
    nodes: NodeData[],
    private readonly answer: (request: ClusterRequest) => Promise<string> = async () => 'ok',
  ) {
    this.data = { version: 1, nodes };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getSnapshot(): ConsoleData {
    return this.data;
  }

  set(nodes: NodeData[]): void {
    this.data = { version: this.data.version + 1, nodes };
    for (const listener of [...this.listeners]) listener();
  }

  send(request: ClusterRequest): Promise<string> {
    this.sent.push(request);
    return this.answer(request);
  }

  close(): void {}
}
