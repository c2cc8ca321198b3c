// The structures' 64-bit hash, bit-identical to `nf_hash64` in stdlib/include/nf/hash.h (same
// vectors: stdlib/test/vectors/hash.json). Used by the reference interpreter for sketches and
// the language's `hash(x)` (seed 0). Keys are the value's bytes exactly as stored in memory.

const M64 = (1n << 64n) - 1n;

/** Longest key nf_hash64 accepts (a compile-time constant in C). */
export const HASH_MAX_LEN = 64;

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

/**
 * nf_hash64(key, key.length, seed). `key` must be 1..64 bytes; `seed` is taken modulo 2^64.
 * Returns an unsigned 64-bit BigInt.
 */
export function nfHash64(key: Uint8Array, seed: bigint = 0n): bigint {
  const len = key.length;
  if (len < 1 || len > HASH_MAX_LEN)
    throw new RangeError(`nfHash64: key length ${len} not in 1..${HASH_MAX_LEN}`);
  let h = (seed & M64) ^ ((BigInt(len) * 0x9e3779b97f4a7c15n) & M64);
  const words = Math.ceil(len / 8);
  for (let i = 0; i < words; i++) {
    let w = 0n;
    for (let b = 7; b >= 0; b--) {
      const idx = i * 8 + b;
      w = (w << 8n) | BigInt(idx < len ? key[idx]! : 0); // little-endian, zero padded
    }
    h ^= (w * 0xbf58476d1ce4e5b9n) & M64;
    h = (rotl64(h, 31n) * 0x94d049bb133111ebn) & M64;
  }
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  h ^= h >> 33n;
  return h;
}

/** nf_hash32: the low 32 bits of nfHash64, as a number. */
export function nfHash32(key: Uint8Array, seed: bigint = 0n): number {
  return Number(nfHash64(key, seed) & 0xffffffffn);
}

/** nf_dh_index(h, i, mask): the i-th double-hashing index, u32 arithmetic (nf/sketch.h). */
export function dhIndex(h: bigint, i: number, mask: number): number {
  const lo = Number(h & 0xffffffffn);
  const step = (Number((h >> 32n) & 0xffffffffn) | 1) >>> 0;
  return (((lo + Math.imul(i >>> 0, step)) >>> 0) & mask) >>> 0;
}

/**
 * The per-structure hash seed of a sketch: nf_hash64 of the structure's name as UTF-8 (at most
 * the first 64 bytes), seed 0. Independent of declaration order: only renaming changes it. The
 * compiler bakes it into the generated C; the interpreter and the control plane use it here.
 */
export function structureSeed(name: string): bigint {
  return nfHash64(new TextEncoder().encode(name).slice(0, 64), 0n);
}
