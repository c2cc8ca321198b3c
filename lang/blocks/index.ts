// The registry: every structure kind, by name. Adding a kind = one file + one line here.
import { arrayBlock } from "./array.js";
import { bloomBlock } from "./bloom.js";
import { countMinBlock } from "./count-min.js";
import { hashBlock } from "./hash.js";
import { lpmBlock } from "./lpm.js";
import { lruBlock } from "./lru.js";
import type { BlockDef } from "./registry.js";

export const BLOCKS: readonly BlockDef[] = [
  arrayBlock,
  hashBlock,
  lruBlock,
  lpmBlock,
  countMinBlock,
  bloomBlock,
];

export function findBlock(name: string): BlockDef | undefined {
  return BLOCKS.find((b) => b.name === name);
}

export * from "./registry.js";
