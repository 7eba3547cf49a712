// Failover time of vigil in the lab: kill -9 everything on the server running web (and pull its
// cable), and measure from the client how long until the floating IP answers again from a survivor.
// Between rounds the crashed server comes back (cable in, agent started) and the cluster settles.
import { CLIENT, LabCluster, waitFor } from '../../test/lab/lab.js';
import { ClientPoller } from '../../test/lab/observers.js';

export async function vigilRounds(
  timing: Record<string, string>,
  rounds: number,
  fipParams: Record<string, unknown> = {},
): Promise<number[]> {
  const lab = new LabCluster({ servers: ['s1', 's2', 's3'], timing, fipParams });
  const poller = new ClientPoller(lab.net, CLIENT, lab.webUrl, 10);
  const outages: number[] = [];
  try {
    lab.start();
    for (let round = 0; round < rounds; round++) {
      const active = await lab.healthy(120_000);
      await waitFor(
        `the client reaching ${active}`,
        () => poller.answeredBy(active, Date.now() - 500),
        30_000,
      );
      const crashedAt = Date.now();
      lab.crash(active);
      const back = await waitFor(
        'an answer from a survivor',
        () => poller.answers.find((a) => a.at > crashedAt && a.server && a.server !== active),
        120_000,
        10,
      );
      outages.push(back.at - crashedAt);
      lab.net.setLink(active, true);
      lab.startAgent(active);
    }
    return outages;
  } finally {
    await poller.stop();
    await lab.destroy();
  }
}
