// The per-structure hash seed of a sketch: nf_hash64 (lang/hash.ts) of the structure's name as
// UTF-8 bytes (at most the first 64), with seed 0. Deterministic and independent of declaration
// order, so renaming a sketch is the only way its seed changes. The reference interpreter must
// use the same rule (it can import lang/hash.ts and do the same two lines).
import { nfHash64 } from "../../lang/hash.js";

export function sketchSeed(name: string): bigint {
  const bytes = new TextEncoder().encode(name).slice(0, 64);
  return nfHash64(bytes, 0n);
}
