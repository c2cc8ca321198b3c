// `table NAME: array<K, V>(capacity = N)`: a dense array indexed by an integer key < capacity.
import { sizeOf } from "../types.js";
import type { BlockDef } from "./registry.js";
import { identity, TABLE_OPS, TABLE_PARAMS } from "./table-common.js";

export const arrayBlock: BlockDef<"array"> = {
  family: "table",
  name: "array",
  typeParams: ["K", "V"],
  params: TABLE_PARAMS,
  forms: [["capacity"]],
  defaults: {},
  checkKey: (key) => (key.kind === "int" && key.bits <= 32 ? undefined : "an integer type up to `u32`"),
  derive: identity,
  memoryBytes: (p, _key, value) => Number(p.capacity) * Math.max(8, value ? sizeOf(value) : 0),
  ops: TABLE_OPS,
  doc: "dense array; every index below capacity exists (zero-initialised)",
};
