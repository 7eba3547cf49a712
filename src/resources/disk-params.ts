// The disk resource's parameters, checked again here so that a bad model gives a clear failure.

export type FsckMode = 'never' | 'auto' | 'always';
export type KillUsers = 'none' | 'term' | 'kill';

export interface DiskParams {
  device: string;
  mountPoint: string;
  fsType: string;
  options?: string;
  fsck: FsckMode;
  killUsers: KillUsers;
  umountRetries: number;
}

function text(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') throw new Error(`disk resource has no ${key}`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, key: string): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`disk resource ${key} must be one of ${allowed.join(', ')}`);
}

export function readDiskParams(params: Record<string, unknown>): DiskParams {
  const device = text(params, 'device');
  const mountPoint = text(params, 'mountPoint');
  if (!device.startsWith('/') || !mountPoint.startsWith('/'))
    throw new Error('disk resource device and mountPoint must be absolute paths');
  if (mountPoint.replace(/\/+$/, '') === '') throw new Error('disk resource mountPoint must not be /');
  const retries = params.umountRetries ?? 3;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 1)
    throw new Error('disk resource umountRetries must be a whole number of at least 1');
  const options = params.options;
  if (options !== undefined && typeof options !== 'string')
    throw new Error('disk resource options is not a string');
  return {
    device,
    mountPoint,
    fsType: text(params, 'fsType'),
    ...(options === undefined || options === '' ? {} : { options }),
    fsck: oneOf(params.fsck, ['never', 'auto', 'always'] as const, 'auto', 'fsck'),
    killUsers: oneOf(params.killUsers, ['none', 'term', 'kill'] as const, 'kill', 'killUsers'),
    umountRetries: retries,
  };
}
