// Seeded pseudo-random numbers for the simulator. Everything random in a simulation derives from one
// seed, so a seed replays exactly. The generator keeps a 32-bit counter that advances by an odd
// constant (a Weyl sequence) and scrambles it with a 32-bit avalanche mix; independent streams are
// derived from (seed, label) so adding a draw in one part (say, network delays) does not shift another
// (say, the fault schedule).

const WEYL = 0x9e3779b9;

/** A 32-bit avalanche mix: every input bit affects every output bit. */
export function mix32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes a seed and a label into a 32-bit stream seed. */
export function deriveSeed(seed: number, label: string): number {
  let h = mix32((seed >>> 0) ^ 0x5bd1e995);
  for (let i = 0; i < label.length; i++) h = mix32(h ^ Math.imul(label.charCodeAt(i) + 1, 0x01000193));
  // Fold in the high part of seeds above 2^32 so large seeds stay distinct.
  const high = Math.floor(seed / 0x100000000);
  if (high !== 0) h = mix32(h ^ mix32(high >>> 0));
  return h;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed >>> 0) ^ (Math.floor(seed / 0x100000000) >>> 0);
  }

  /** A new generator for a named sub-stream of `seed`. */
  static stream(seed: number, label: string): Rng {
    return new Rng(deriveSeed(seed, label));
  }

  /** A child stream of this generator, derived from its next draw and a label. */
  fork(label: string): Rng {
    return new Rng(deriveSeed(this.next(), label));
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  next(): number {
    this.state = (this.state + WEYL) >>> 0;
    return mix32(this.state);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 0x100000000;
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new Error(`Rng.int: empty range [${lo}, ${hi}]`);
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Picks by weight: `[[item, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let r = this.float() * total;
    for (const [item, w] of choices) {
      if (r < w) return item;
      r -= w;
    }
    return choices[choices.length - 1]![0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** `n` distinct items in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(n, items.length)));
  }
}
