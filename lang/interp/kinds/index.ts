// Interpreter semantics per structure kind that plugs in through KindStore (../kinds.ts): one
// file per kind here, one line per kind in STORES, keyed by the lang/blocks registry name.
import type { StoreFactory } from "../kinds.js";
import { cuckooStore } from "./cuckoo.js";
import { countSketchStore } from "./count-sketch.js";
import { nitroStore } from "./nitro.js";
import { hllStore } from "./hll.js";
import { topkStore } from "./topk.js";
import { timerWheelStore } from "./timer-wheel.js";
import { orderedStore } from "./ordered.js";
import { fifoStore } from "./fifo.js";
import { pqStore } from "./pq.js";

export const STORES: Readonly<Record<string, StoreFactory>> = {
  cuckoo: cuckooStore,
  count_sketch: countSketchStore,
  nitro: nitroStore,
  topk: topkStore,
  hll: hllStore,
  timer_wheel: timerWheelStore,
  ordered: orderedStore,
  fifo: fifoStore,
  pq: pqStore,
};
