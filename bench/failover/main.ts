// npm run bench:failover [-- ROUNDS [LABEL]]: failover time seen from a client in the lab (root only), for
// vigil with its default timing, a fast profile (and the same with the partition and fence deadlines
// cut to what the majority method and killing a process group need, and that with a 300 ms duplicate
// address check), and for keepalived (VRRPv3, advert_int 1 and 0.1),
// each crash being kill -9 of everything on the active server plus its cable pulled. Prints the median
// and 95th percentile of the outage: from the crash to the first request (sent then) that a survivor
// answers. `-- stress [MINUTES [LABEL]]` instead counts false failovers of each vigil profile while
// stress-ng saturates every CPU (stress.ts).
import { labSkipReason } from '../../test/lab/netns.js';
import { keepalivedRounds } from './keepalived.js';
import { summary } from './stats.js';
import { stressRun } from './stress.js';
import { vigilRounds } from './vigil.js';

const skip = labSkipReason();
if (skip) {
  console.error(`bench:failover cannot run: ${skip}`);
  process.exit(2);
}
const tight = {
  heartbeatInterval: '100ms',
  heartbeatTimeout: '500ms',
  npDeadline: '200ms',
  fenceDeadline: '300ms',
};
/** Label, cluster.timing, and extra parameters of the floating IP. */
const profiles: [string, Record<string, string>, Record<string, unknown>][] = [
  ['vigil default timing (500ms/2s)', {}, {}],
  ['vigil fast (100ms/500ms)', { heartbeatInterval: '100ms', heartbeatTimeout: '500ms' }, {}],
  ['vigil fast, tight deadlines', tight, {}],
  ['vigil fast, tight deadlines, 300ms duplicate check', tight, { duplicateCheck: '300ms' }],
];
if (process.argv[2] === 'stress') {
  // npm run bench:failover -- stress [MINUTES [LABEL]]: false failovers with every CPU saturated.
  const minutes = Number(process.argv[3] ?? 10);
  for (const [label, timing, fipParams] of profiles) {
    if (process.argv[4] && !label.includes(process.argv[4])) continue;
    const outcome = await stressRun(timing, minutes, fipParams);
    console.log(
      `${label.padEnd(52)} ${minutes} min stress-ng --cpu 0: servers declared down ${outcome.serversDeclaredDown}, fences ${outcome.fences}, stalls ${outcome.stalls}, moves of web ${outcome.moves}, longest client gap ${outcome.longestGapMs} ms over ${outcome.requests} requests`,
    );
  }
  process.exit(0);
}
const rounds = Number(process.argv[2] ?? 10);
const only = process.argv[3];
const runs: [string, () => Promise<number[]>][] = [
  ...profiles.map(([label, timing, fipParams]): [string, () => Promise<number[]>] => [
    label,
    () => vigilRounds(timing, rounds, fipParams),
  ]),
  ['keepalived VRRPv3 advert_int 1', () => keepalivedRounds(1, rounds)],
  ['keepalived VRRPv3 advert_int 0.1', () => keepalivedRounds(0.1, rounds)],
];
for (const [label, measure] of runs) {
  if (only && !label.includes(only)) continue;
  const outages = await measure();
  console.log(summary(label, outages));
  console.log(`  rounds (ms): ${outages.map((o) => o.toFixed(0)).join(' ')}`);
}
