// The rules beyond the shape of each value. They read the data leniently, so they run (and report)
// even when the schema found problems elsewhere.

import { checkCycles } from './check-cycles.js';
import { checkLinks } from './check-links.js';
import { checkMonitors } from './check-monitors.js';
import { checkMulti } from './check-multi.js';
import { checkPs } from './check-ps.js';
import { checkNames } from './check-names.js';
import { checkReferences } from './check-references.js';
import { checkTiming } from './check-timing.js';
import type { Finding } from './problem.js';

export function checkConfig(data: unknown): Finding[] {
  return [
    ...checkNames(data),
    ...checkReferences(data),
    ...checkMonitors(data),
    ...checkCycles(data),
    ...checkTiming(data),
    ...checkLinks(data),
    ...checkMulti(data),
    ...checkPs(data),
  ];
}
