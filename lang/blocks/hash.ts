// `table NAME: hash<K, V>(capacity = N)`: a hash map; `insert` returns false when full.
import type { BlockDef } from "./registry.js";
import { identity, TABLE_OPS, TABLE_PARAMS, tableMemory } from "./table-common.js";

export const hashBlock: BlockDef<"hash"> = {
  family: "table",
  name: "hash",
  typeParams: ["K", "V"],
  params: TABLE_PARAMS,
  forms: [["capacity"]],
  defaults: {},
  derive: identity,
  memoryBytes: tableMemory,
  ops: TABLE_OPS,
  doc: "hash map; insert fails when full",
};
