// `table NAME: lru<K, V>(capacity = N)`: a hash map that evicts the least recently used entry.
import type { BlockDef } from "./registry.js";
import { identity, TABLE_OPS, TABLE_PARAMS, tableMemory } from "./table-common.js";

export const lruBlock: BlockDef<"lru"> = {
  family: "table",
  name: "lru",
  typeParams: ["K", "V"],
  params: TABLE_PARAMS,
  forms: [["capacity"]],
  defaults: {},
  derive: identity,
  memoryBytes: tableMemory,
  ops: TABLE_OPS,
  doc: "hash map; a full table evicts the least recently used entry",
};
