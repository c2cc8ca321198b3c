// Interpreter semantics per structure kind, all through KindStore (../kinds.ts): one file per kind
// (tables.ts serves the four map-backed tables), one line per kind in STORES, keyed by the
// lang/blocks registry name. tsc refuses a registry kind without a line here.
import type { KindName } from "../../blocks/index.js";
import type { StoreFactory } from "../kinds.js";
import { tableStore } from "./tables.js";
import { countMinStore } from "./count-min.js";
import { bloomStore } from "./bloom.js";
import { cuckooStore } from "./cuckoo.js";
import { countSketchStore } from "./count-sketch.js";
import { nitroStore } from "./nitro.js";
import { hllStore } from "./hll.js";
import { topkStore } from "./topk.js";
import { timerWheelStore } from "./timer-wheel.js";
import { orderedStore } from "./ordered.js";
import { fifoStore } from "./fifo.js";
import { pqStore } from "./pq.js";

export const STORES: Readonly<Record<KindName, StoreFactory>> = {
  array: tableStore,
  hash: tableStore,
  lru: tableStore,
  lpm: tableStore,
  cuckoo: cuckooStore,
  ordered: orderedStore,
  count_min: countMinStore,
  count_sketch: countSketchStore,
  nitro: nitroStore,
  bloom: bloomStore,
  topk: topkStore,
  hll: hllStore,
  fifo: fifoStore,
  pq: pqStore,
  timer_wheel: timerWheelStore,
};
