// The registries of resource, monitor and alert types. Adding a type = one file next to this one
// and one line here; the schema, the checks, the JSON Schema and the error messages follow.

import type { AlertTypeDefinition, MonitorTypeDefinition, ResourceTypeDefinition } from './define.js';
import { execAlert } from './alert-exec.js';
import { logAlert } from './alert-log.js';
import { webhookAlert } from './alert-webhook.js';
import { customMonitor } from './monitor-custom.js';
import { ftpMonitor } from './monitor-ftp.js';
import { httpMonitor } from './monitor-http.js';
import { imapMonitor } from './monitor-imap.js';
import { ipMonitor } from './monitor-ip.js';
import { mysqlMonitor } from './monitor-mysql.js';
import { pidMonitor } from './monitor-pid.js';
import { pop3Monitor } from './monitor-pop3.js';
import { psqlMonitor } from './monitor-psql.js';
import { smtpMonitor } from './monitor-smtp.js';
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
import { systemdResource } from './resource-systemd.js';
import { volmgrResource } from './resource-volmgr.js';
import { nasResource } from './resource-nas.js';
import { ddnsResource } from './resource-ddns.js';
import { containerResource } from './resource-container.js';
import { vmResource } from './resource-vm.js';
import { ocfMonitor } from './monitor-ocf.js';
import { diskResource } from './resource-disk.js';
import { lsbResource } from './resource-lsb.js';
import { ocfResource } from './resource-ocf.js';
import { fipMonitor } from './monitor-fip.js';

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  exec: execResource,
  fip: fipResource,
  systemd: systemdResource,
  volmgr: volmgrResource,
  nas: nasResource,
  ddns: ddnsResource,
  container: containerResource,
  vm: vmResource,
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
  smtp: smtpMonitor,
  pop3: pop3Monitor,
  imap: imapMonitor,
  ftp: ftpMonitor,
  psql: psqlMonitor,
  mysql: mysqlMonitor,
  ps: psMonitor,
  mii: miiMonitor,
  disk: diskMonitor,
  user: userMonitor,
  system: systemMonitor,
  multi: multiMonitor,
  message: messageMonitor,
  ocf: ocfMonitor,
  fip: fipMonitor,
};

export const alertTypes: Record<string, AlertTypeDefinition> = {
  exec: execAlert,
  webhook: webhookAlert,
  log: logAlert,
};

export type { AlertTypeDefinition, MonitorTypeDefinition, ResourceTypeDefinition } from './define.js';
