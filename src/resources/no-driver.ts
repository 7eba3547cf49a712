// The error for a type the config accepts but this build cannot run yet, shared by both registries.

export class NoDriverError extends Error {
  constructor(
    readonly kind: 'resource' | 'monitor',
    readonly type: string,
    readonly supported: string[],
  ) {
    super(`${kind} type ${type} has no driver yet; types with drivers: ${supported.join(', ')}`);
    this.name = 'NoDriverError';
  }
}
