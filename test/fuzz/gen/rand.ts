// The generator's seeded choices (lang/rng.ts underneath): every random decision goes through one
// Rand so a seed reproduces its program exactly.
import { rng } from "../../../lang/rng.js";

export class Rand {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = rng(seed);
  }
  next(): number {
    return this.r();
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  /** Inclusive integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new Error("pick from an empty list");
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    const total = xs.reduce((s, [w]) => s + w, 0);
    let x = this.r() * total;
    for (const [w, v] of xs) {
      x -= w;
      if (x < 0) return v;
    }
    return xs[xs.length - 1]![1];
  }
  /** A uniformly random bigint below 2^bits. */
  bits(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(this.int(0, 0xffff));
    return v & ((1n << BigInt(bits)) - 1n);
  }
}
