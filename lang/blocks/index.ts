// The registry: every structure kind, by name. Adding a kind = one file + one line here, then one
// entry per phase table keyed by KindName (the recipe: CONTEXT.md "Adding a kind").
import { arrayBlock } from "./array.js";
import { bloomBlock } from "./bloom.js";
import { countMinBlock } from "./count-min.js";
import { hashBlock } from "./hash.js";
import { lpmBlock } from "./lpm.js";
import { lruBlock } from "./lru.js";
import { topkBlock } from "./topk.js";
import { hllBlock } from "./hll.js";
import { timerWheelBlock } from "./timer-wheel.js";
import { countSketchBlock } from "./count-sketch.js";
import { nitroBlock } from "./nitro.js";
import { orderedBlock } from "./ordered.js";
import { cuckooBlock } from "./cuckoo.js";
import { fifoBlock } from "./fifo.js";
import { pqBlock } from "./pq.js";
import type { BlockDef } from "./registry.js";

export const BLOCKS = [
  // tables
  arrayBlock,
  hashBlock,
  lruBlock,
  lpmBlock,
  cuckooBlock,
  orderedBlock,
  // sketches
  countMinBlock,
  countSketchBlock,
  nitroBlock,
  bloomBlock,
  topkBlock,
  hllBlock,
  // queues
  fifoBlock,
  pqBlock,
  timerWheelBlock,
] as const;

/** Every structure kind's registry name. Each phase's per-kind table is a `Record<KindName, …>`
 *  (or a `Partial` with a stated reason per missing kind), so tsc proves the phases agree. */
export type KindName = (typeof BLOCKS)[number]["name"];

export const KIND_NAMES: readonly KindName[] = BLOCKS.map((b) => b.name);

export function isKindName(name: string): name is KindName {
  return (KIND_NAMES as readonly string[]).includes(name);
}

export function findBlock(name: string): BlockDef<KindName> | undefined {
  return BLOCKS.find((b) => b.name === name);
}

export * from "./registry.js";
