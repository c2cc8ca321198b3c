// The registry: every structure kind, by name. Adding a kind = one file + one line here.
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

export const BLOCKS: readonly BlockDef[] = [
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
];

export function findBlock(name: string): BlockDef | undefined {
  return BLOCKS.find((b) => b.name === name);
}

export * from "./registry.js";
