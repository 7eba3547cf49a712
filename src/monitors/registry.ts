// Monitor type name → driver. Adding a type: one file beside this one and one line in `factories`.
import type { MonitorModel } from '../engine/model.js';
import { NoDriverError } from '../resources/no-driver.js';
import type { MonitorDriver, MonitorDriverFactory } from './driver.js';
import { createCustomMonitor } from './custom.js';
import { createFtpMonitor } from './ftp.js';
import { createHttpMonitor } from './http.js';
import { createImapMonitor } from './imap.js';
import { createMysqlMonitor } from './mysql.js';
import { createPidMonitor } from './pid.js';
import { createPop3Monitor } from './pop3.js';
import { createPsqlMonitor } from './psql.js';
import { createSmtpMonitor } from './smtp.js';
import { createTcpMonitor } from './tcp.js';
import { createPsMonitor } from './ps.js';
import { createIpMonitor } from './ip.js';
import { createMiiMonitor } from './mii.js';
import { createDiskMonitor } from './disk.js';
import { createUserMonitor } from './user.js';
import { createSystemMonitor } from './system.js';
import { createMultiMonitor } from './multi.js';
import { createMessageMonitor } from './message.js';
import { createOcfMonitor } from './ocf.js';
import { createFipMonitor } from './fip.js';

const factories: Record<string, MonitorDriverFactory> = {
  pid: createPidMonitor,
  tcp: createTcpMonitor,
  http: createHttpMonitor,
  custom: createCustomMonitor,
  smtp: createSmtpMonitor,
  pop3: createPop3Monitor,
  imap: createImapMonitor,
  ftp: createFtpMonitor,
  psql: createPsqlMonitor,
  mysql: createMysqlMonitor,
  ps: createPsMonitor,
  ip: createIpMonitor,
  mii: createMiiMonitor,
  disk: createDiskMonitor,
  user: createUserMonitor,
  system: createSystemMonitor,
  multi: createMultiMonitor,
  message: createMessageMonitor,
  ocf: createOcfMonitor,
  fip: createFipMonitor,
};

export function supportedMonitorTypes(): string[] {
  return Object.keys(factories).sort();
}

/** The driver for one monitor; throws NoDriverError for a type without one. */
export function createMonitorDriver(monitor: MonitorModel): MonitorDriver {
  const factory = Object.hasOwn(factories, monitor.type) ? factories[monitor.type] : undefined;
  if (factory === undefined) throw new NoDriverError('monitor', monitor.type, supportedMonitorTypes());
  return factory(monitor);
}

/** One line per configured monitor whose type has no driver: "monitor web-http: monitor type http …". */
export function monitorsWithoutDriver(monitors: MonitorModel[]): string[] {
  return monitors
    .filter((monitor) => !Object.hasOwn(factories, monitor.type))
    .map(
      (monitor) =>
        `monitor ${monitor.name}: ${new NoDriverError('monitor', monitor.type, supportedMonitorTypes()).message}`,
    );
}
