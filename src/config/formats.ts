// The string formats of the config (names, durations, addresses, paths, keys). Each format has one
// check that both the zod schema and the error messages use, so the rule and its explanation agree.

import { isIP } from 'node:net';
import { z } from 'zod';
import { DURATION_PATTERN, explainDuration } from './durations.js';
import type { Explanation } from './explanation.js';
import { explainSshPublicKey } from './ssh-key.js';

export interface StringFormat {
  /** The JSON Schema `format`; prefixed so it never clashes with a standard format such as `duration`. */
  name: string;
  /** Why the string is not in this format, or undefined when it is. */
  explain(value: string): Explanation | undefined;
  /** A better message than "expected a string" for values of the wrong type. */
  explainWrongType?(value: unknown): Explanation | undefined;
  /** A regular expression for the JSON Schema, where one says it exactly. */
  pattern?: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function nameLike(what: string, value: string, re: RegExp, allowed: string): Explanation | undefined {
  if (value === '') return { message: `the ${what} is empty`, hint: allowed };
  if (value.length > 63)
    return { message: `the ${what} "${value}" is longer than 63 characters`, hint: allowed };
  if (!re.test(value)) return { message: `"${value}" is not a valid ${what}`, hint: allowed };
  return undefined;
}

const formatList = [
  {
    name: 'vigil-duration',
    explain: explainDuration,
    explainWrongType: explainDuration,
    pattern: DURATION_PATTERN,
  },
  {
    name: 'vigil-cluster-name',
    pattern: '^[a-z0-9][a-z0-9-]*$',
    explain: (value) =>
      nameLike(
        'cluster name',
        value,
        /^[a-z0-9][a-z0-9-]*$/,
        'use lowercase letters, digits and "-", starting with a letter or digit',
      ),
  },
  {
    name: 'vigil-name',
    pattern: NAME_RE.source,
    explain: (value) =>
      nameLike(
        'name',
        value,
        NAME_RE,
        'use letters, digits, ".", "_" and "-", starting with a letter or digit',
      ),
  },
  {
    name: 'vigil-ref',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$',
    explain: (value) => {
      const parts = value.split('/');
      if (parts.length <= 2 && parts.every((part) => NAME_RE.test(part))) return undefined;
      return {
        message: `"${value}" is not a group or group/resource reference`,
        hint: 'write "web" or "web/web-ip"',
      };
    },
  },
  {
    name: 'vigil-ip',
    explain: (value) =>
      isIP(value)
        ? undefined
        : {
            message: `"${value}" is not an IP address`,
            hint: 'write a plain IPv4 or IPv6 address, without port or prefix',
          },
  },
  {
    name: 'vigil-cidr',
    explain: (value) => {
      const [address = '', prefix, extra] = value.split('/');
      const family = isIP(address);
      const hint = 'write address/prefix, e.g. 10.0.0.100/24 or fd00::100/64';
      if (family === 0) return { message: `"${address}" is not an IP address`, hint };
      if (prefix === undefined) return { message: `"${value}" has no prefix length`, hint };
      const bits = family === 4 ? 32 : 128;
      if (extra !== undefined || !/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > bits) {
        return { message: `"${prefix}" is not a prefix length for IPv${family} (0-${bits})`, hint };
      }
      return undefined;
    },
  },
  {
    name: 'vigil-host',
    explain: (value) =>
      isIP(value) || HOSTNAME_RE.test(value)
        ? undefined
        : {
            message: `"${value}" is not an IP address or host name`,
            hint: 'write e.g. 10.0.0.254 or gw.example.net',
          },
  },
  {
    name: 'vigil-path',
    explain: (value) =>
      value.startsWith('/') && !value.includes('\0')
        ? undefined
        : { message: `"${value}" is not an absolute path`, hint: 'write the full path, starting with /' },
  },
  {
    name: 'vigil-ifname',
    pattern: '^[A-Za-z0-9_.:@-]{1,15}$',
    explain: (value) =>
      /^[A-Za-z0-9_.:@-]{1,15}$/.test(value)
        ? undefined
        : {
            message: `"${value}" is not a network interface name`,
            hint: 'write the device as `ip link` shows it, e.g. eth0',
          },
  },
  {
    name: 'vigil-env-name',
    pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    explain: (value) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)
        ? undefined
        : {
            message: `"${value}" is not an environment variable name`,
            hint: 'use letters, digits and _, not starting with a digit',
          },
  },
  {
    name: 'vigil-http-url',
    explain: (value) => {
      const hint = 'write a full URL, e.g. http://10.0.0.100:8080/health';
      if (!URL.canParse(value)) return { message: `"${value}" is not a URL`, hint };
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:'
        ? undefined
        : { message: `"${value}" is not an http or https URL`, hint };
    },
  },
  {
    name: 'vigil-command',
    explain: (value) =>
      value.trim() === ''
        ? { message: 'the command is empty', hint: 'give a command line or a script path' }
        : undefined,
  },
  {
    name: 'vigil-regexp',
    explain: (value) => {
      try {
        new RegExp(value);
        return undefined;
      } catch (error) {
        return {
          message: `not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
          hint: 'use JavaScript regular expression syntax',
        };
      }
    },
  },
  {
    name: 'vigil-ssh-public-key',
    explain: explainSshPublicKey,
  },
] as const satisfies readonly StringFormat[];

export type FormatName = (typeof formatList)[number]['name'];

const formats = new Map<string, StringFormat>(formatList.map((format) => [format.name, format]));

/** The format of that name, for explaining an issue zod reported. */
export function findFormat(name: string): StringFormat | undefined {
  return formats.get(name);
}

/** A zod string schema that accepts exactly what the format accepts. */
export function formatted(name: FormatName) {
  const format = formats.get(name) as StringFormat;
  const schema = z.stringFormat(name, (value) => format.explain(value) === undefined);
  return format.pattern === undefined ? schema : schema.meta({ pattern: format.pattern });
}
