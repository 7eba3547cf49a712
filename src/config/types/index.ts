// The registries of resource, monitor and alert types. Adding a type = one file next to this one
// and one line here; the schema, the checks, the JSON Schema and the error messages follow.

import type { AlertTypeDefinition, MonitorTypeDefinition, ResourceTypeDefinition } from './define.js';
import { execAlert } from './alert-exec.js';
import { logAlert } from './alert-log.js';
import { webhookAlert } from './alert-webhook.js';
import { customMonitor } from './monitor-custom.js';
import { httpMonitor } from './monitor-http.js';
import { ipMonitor } from './monitor-ip.js';
import { pidMonitor } from './monitor-pid.js';
import { tcpMonitor } from './monitor-tcp.js';
import { psMonitor } from './monitor-ps.js';
import { miiMonitor } from './monitor-mii.js';
import { diskMonitor } from './monitor-disk.js';
import { userMonitor } from './monitor-user.js';
import { systemMonitor } from './monitor-system.js';
import { multiMonitor } from './monitor-multi.js';
import { messageMonitor } from './monitor-message.js';
import { execResource } from './resource-exec.js';
import { fipResource } from './resource-fip.js';

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  exec: execResource,
  fip: fipResource,
};

export const monitorTypes: Record<string, MonitorTypeDefinition> = {
  pid: pidMonitor,
  custom: customMonitor,
  tcp: tcpMonitor,
  http: httpMonitor,
  ip: ipMonitor,
  ps: psMonitor,
  mii: miiMonitor,
  disk: diskMonitor,
  user: userMonitor,
  system: systemMonitor,
  multi: multiMonitor,
  message: messageMonitor,
};

export const alertTypes: Record<string, AlertTypeDefinition> = {
  exec: execAlert,
  webhook: webhookAlert,
  log: logAlert,
};

export type { AlertTypeDefinition, MonitorTypeDefinition, ResourceTypeDefinition } from './define.js';
