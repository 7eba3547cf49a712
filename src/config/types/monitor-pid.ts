// pid: the process of a long-running exec resource is still alive.
import type { MonitorTypeDefinition } from './define.js';

export const pidMonitor = {
  description: 'Checks that the process of a long-running exec resource is alive.',
  params: {},
  watches: {
    resourceTypes: ['exec'],
    check: (resource, name) =>
      resource.longRunning === true
        ? undefined
        : {
            message: `exec resource "${name}" is not long-running, so there is no process to watch`,
            hint: `set longRunning: true on "${name}", or use a custom monitor`,
          },
  },
} satisfies MonitorTypeDefinition;
