// Types for rng.mjs, so TypeScript tests can reuse the seeded generator.
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform whole number in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  jitter(value: number, spread?: number): number;
  guid(): string;
}

export function createRng(seed: string | number): Rng;
