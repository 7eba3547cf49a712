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
import { ocfMonitor } from './monitor-ocf.js';
import { execResource } from './resource-exec.js';
import { fipResource } from './resource-fip.js';
import { diskResource } from './resource-disk.js';
import { lsbResource } from './resource-lsb.js';
import { ocfResource } from './resource-ocf.js';

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  exec: execResource,
  fip: fipResource,
  disk: diskResource,
  lsb: lsbResource,
  ocf: ocfResource,
};

export const monitorTypes: Record<string, MonitorTypeDefinition> = {
  pid: pidMonitor,
  custom: customMonitor,
  tcp: tcpMonitor,
  http: httpMonitor,
  ip: ipMonitor,
  ocf: ocfMonitor,
};

export const alertTypes: Record<string, AlertTypeDefinition> = {
  exec: execAlert,
  webhook: webhookAlert,
  log: logAlert,
};

export type { AlertTypeDefinition, MonitorTypeDefinition, ResourceTypeDefinition } from './define.js';
