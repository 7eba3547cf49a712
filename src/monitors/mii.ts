// mii: the link state of a network interface, from /sys/class/net/DEV/operstate and carrier (what
// the kernel learns from the NIC's MII/PHY). Healthy when the interface is up with carrier.
import { readFile } from 'node:fs/promises';
import type { MonitorModel } from '../engine/model.js';
import type { CheckResult, MonitorDriver } from './driver.js';

export function createMiiMonitor(monitor: MonitorModel): MonitorDriver {
  const { interface: device } = monitor.params as { interface: string };
  return {
    async check(): Promise<CheckResult> {
      const base = `/sys/class/net/${device}`;
      let operstate: string;
      try {
        operstate = (await readFile(`${base}/operstate`, 'utf8')).trim();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return { ok: false, detail: `there is no network interface ${device} here (see ip link)` };
        throw error;
      }
      const carrier = await readCarrier(`${base}/carrier`);
      // Loopback and some virtual devices report "unknown" yet pass traffic: the carrier decides.
      const ok = carrier === true && (operstate === 'up' || operstate === 'unknown');
      const carrierText =
        carrier === undefined ? 'unknown (the interface is administratively down)' : carrier ? 'yes' : 'no';
      const detail = `${device} is ${operstate}, carrier ${carrierText}`;
      return {
        ok,
        detail: ok ? detail : `${detail}; check the cable, the switch port and ip link show ${device}`,
      };
    },
  };
}

/** true/false, or undefined when the kernel cannot tell (reading fails with EINVAL while the device is down). */
async function readCarrier(path: string): Promise<boolean | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() === '1';
  } catch {
    return undefined;
  }
}
