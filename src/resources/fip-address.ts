// Reading a floating IP's parameters and whether the address is on its device here, shared by the fip
// resource and the fip monitor. Presence is read from `ip -j addr show dev DEV` (iproute2's JSON).
import { isIP } from 'node:net';
import { describeToolFailure, type ToolResult } from './tool.js';

export interface FipAddress {
  address: string;
  prefix: number;
  family: 4 | 6;
  device: string;
}

/** "10.0.0.100/24" on eth0; throws with the reason when the value is not an address with a prefix length. */
export function parseFip(cidr: unknown, device: unknown, what: string): FipAddress {
  if (typeof device !== 'string' || device.trim() === '') throw new Error(`${what} has no device`);
  const [address = '', prefixText, extra] = typeof cidr === 'string' ? cidr.split('/') : [];
  const family = isIP(address);
  const prefix = Number(prefixText);
  if (
    family === 0 ||
    extra !== undefined ||
    !/^[0-9]{1,3}$/.test(prefixText ?? '') ||
    prefix > (family === 4 ? 32 : 128)
  )
    throw new Error(`${what} address ${JSON.stringify(cidr)} is not an address/prefix such as 10.0.0.100/24`);
  return { address, prefix, family: family as 4 | 6, device };
}

/** The argv that lists the device's addresses. */
export function showArgv(fip: FipAddress): string[] {
  return ['ip', '-j', 'addr', 'show', 'dev', fip.device];
}

export type Presence = { state: 'present' | 'absent' | 'no-device' } | { state: 'unknown'; why: string };

/** Whether the address is on the device, from the result of `showArgv`. */
export function presenceOf(fip: FipAddress, result: ToolResult): Presence {
  if (!result.ok) {
    // iproute2: `Device "eth9" does not exist.`: then the address is certainly not on it.
    if (/does not exist/i.test(result.stderr)) return { state: 'no-device' };
    return { state: 'unknown', why: describeToolFailure(result) };
  }
  let links: unknown;
  try {
    links = JSON.parse(result.stdout);
  } catch {
    return {
      state: 'unknown',
      why: `\`${result.argv.join(' ')}\` did not print JSON (is iproute2 too old?)`,
    };
  }
  const wanted = normalise(fip.address);
  const present =
    Array.isArray(links) &&
    links.some(
      (link: { addr_info?: { local?: string }[] }) =>
        Array.isArray(link.addr_info) &&
        link.addr_info.some((info) => typeof info.local === 'string' && normalise(info.local) === wanted),
    );
  return { state: present ? 'present' : 'absent' };
}

/** IPv6 has many spellings (fd00::100, FD00:0::100): compare the expanded form. */
function normalise(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]/`).hostname;
}
