// The demo's live event lines: follows the cluster through the first agent that answers, and through
// another one when that agent goes away (the operator may well kill it: that is the point).
import { connectUnix, type ControlClient } from '../control/client.js';
import { PROTOCOL_VERSION, type AlertEntry, type StatusSnapshot } from '../control/protocol.js';
import { alertLine, statusChanges } from './events.js';
import { pause } from './ready.js';

export interface WatchTarget {
  name: string;
  socket: string;
}

const RETRY_MS = 500;

export class ClusterWatcher {
  private readonly stopping = new AbortController();
  private last: StatusSnapshot | undefined;
  private readonly seenAlerts = new Map<string, string>();
  private running: Promise<void> | null = null;
  private listedAlertsBefore = false;

  constructor(
    private readonly targets: WatchTarget[],
    private readonly print: (line: string) => void,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    let through: string | undefined;
    let silent = false;
    while (!this.stopping.signal.aborted) {
      const connected = await this.connectAny();
      if (!connected) {
        if (!silent) this.print('no agent of the demo answers; waiting for one');
        silent = true;
        await pause(RETRY_MS, this.stopping.signal);
        continue;
      }
      silent = false;
      if (connected.name !== through) this.print(`watching the cluster through ${connected.name}`);
      through = connected.name;
      await this.follow(connected.client);
      if (!this.stopping.signal.aborted) this.print(`lost the connection to the agent of ${connected.name}`);
    }
  }

  private async connectAny(): Promise<{ name: string; client: ControlClient } | undefined> {
    for (const target of this.targets) {
      if (this.stopping.signal.aborted) return undefined;
      try {
        const client = await connectUnix(target.socket, 1000);
        await client
          .call('hello', { protocol: PROTOCOL_VERSION, client: 'vigil-demo' }, 2000)
          .catch((error) => {
            client.close();
            throw error;
          });
        return { name: target.name, client };
      } catch {
        // Try the next one.
      }
    }
    return undefined;
  }

  /** Prints changes until the connection ends or the watcher stops. */
  private follow(client: ControlClient): Promise<void> {
    return new Promise((resolve) => {
      const undo: (() => void)[] = [];
      const done = () => {
        for (const step of undo) step();
        client.close();
        resolve();
      };
      undo.push(client.on('status', (status) => this.showStatus(status)));
      undo.push(client.on('alert', (alert) => this.showAlert(alert)));
      undo.push(client.on('close', done));
      const onStop = () => done();
      this.stopping.signal.addEventListener('abort', onStop, { once: true });
      undo.push(() => this.stopping.signal.removeEventListener('abort', onStop));
      Promise.all([client.call('status.subscribe', {}), client.call('alerts.subscribe', {})]).then(
        ([status, alerts]) => {
          this.showStatus(status);
          for (const alert of alerts) this.remember(alert);
          this.listedAlertsBefore = true;
        },
        done,
      );
    });
  }

  private showStatus(status: StatusSnapshot): void {
    for (const line of statusChanges(this.last, status)) this.print(line);
    this.last = status;
  }

  private showAlert(alert: AlertEntry): void {
    const key = alert.ack ? 'acknowledged' : 'raised';
    if (this.seenAlerts.get(alert.id) === key) return;
    this.seenAlerts.set(alert.id, key);
    this.print(alertLine(alert));
  }

  /** Alerts from before the demo watched are not news; ones raised while it reconnected are. */
  private remember(alert: AlertEntry): void {
    if (this.listedAlertsBefore) {
      this.showAlert(alert);
      return;
    }
    this.seenAlerts.set(alert.id, alert.ack ? 'acknowledged' : 'raised');
  }
}
