// npm run bench:failover [-- ROUNDS]: failover time seen from a client in the lab (root only), for
// vigil with its default timing and a fast profile, and for keepalived (VRRPv3, advert_int 1 and 0.1),
// each crash being kill -9 of everything on the active server plus its cable pulled. Prints the median
// and 95th percentile of the outage: from the crash to the first request (sent then) that a survivor answers.
import { labSkipReason } from '../../test/lab/netns.js';
import { keepalivedRounds } from './keepalived.js';
import { summary } from './stats.js';
import { vigilRounds } from './vigil.js';

const rounds = Number(process.argv[2] ?? 10);
const skip = labSkipReason();
if (skip) {
  console.error(`bench:failover cannot run: ${skip}`);
  process.exit(2);
}
const only = process.argv[3];
const runs: [string, () => Promise<number[]>][] = [
  ['vigil default timing (500ms/2s)', () => vigilRounds({}, rounds)],
  [
    'vigil fast (100ms/500ms)',
    () => vigilRounds({ heartbeatInterval: '100ms', heartbeatTimeout: '500ms' }, rounds),
  ],
  ['keepalived VRRPv3 advert_int 1', () => keepalivedRounds(1, rounds)],
  ['keepalived VRRPv3 advert_int 0.1', () => keepalivedRounds(0.1, rounds)],
];
for (const [label, measure] of runs) {
  if (only && !label.includes(only)) continue;
  const outages = await measure();
  console.log(summary(label, outages));
  console.log(`  rounds (ms): ${outages.map((o) => o.toFixed(0)).join(' ')}`);
}
