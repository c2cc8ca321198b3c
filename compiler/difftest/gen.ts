// The seeded random source the packet generators draw from.
import { rng as prng } from "../../lang/rng.js";

export interface Gen {
  r: () => number;
  n: (max: number) => number;
  pick: <T>(xs: readonly T[]) => T;
  bytes: (len: number) => number[];
}

export function gen(seed: number): Gen {
  const r = prng(seed);
  const n = (max: number): number => Math.floor(r() * max);
  return { r, n, pick: (xs) => xs[n(xs.length)]!, bytes: (len) => Array.from({ length: len }, () => n(256)) };
}
