// ddns: a DNS name that points at the active server, changed with signed dynamic updates.
import { z } from 'zod';
import { formatted } from '../formats.js';
import type { ResourceTypeDefinition } from './define.js';

export const ddnsResource = {
  description:
    "A DNS name pointed at the active server's address with nsupdate (TSIG-signed dynamic update).",
  params: {
    server: formatted('vigil-host').describe('The DNS server that takes the updates (the zone primary).'),
    port: z.number().int().min(1).max(65535).default(53).describe('Its port.'),
    dnsName: z
      .string()
      .regex(
        /^([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/,
      )
      .describe('The fully qualified name to register, e.g. db.example.net.'),
    ttl: z
      .number()
      .int()
      .min(0)
      .max(2147483647)
      .default(60)
      .describe('Time to live of the record, in seconds.'),
    keyFile: formatted('vigil-path').describe('TSIG key file for nsupdate -k; only nsupdate reads it.'),
    address: z
      .union([formatted('vigil-ip'), z.record(formatted('vigil-name'), formatted('vigil-ip'))])
      .describe(
        'The address to register: one IP for every server (e.g. the floating IP), or server name to IP (each server registers its own).',
      ),
  },
} satisfies ResourceTypeDefinition;
