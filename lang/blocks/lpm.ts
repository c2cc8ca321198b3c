// `table NAME: lpm<K, V>(capacity = N)`: longest-prefix match on ip4/ip6 keys. Entries (prefixes)
// come from the control plane; the datapath only looks up.
import type { BlockDef, OpSig } from "./registry.js";
import { identity, TABLE_OPS, TABLE_PARAMS, tableMemory } from "./table-common.js";

const controlPlaneOnly = (op: OpSig): OpSig => ({ ...op, datapath: false });

export const lpmBlock: BlockDef<"lpm"> = {
  family: "table",
  name: "lpm",
  typeParams: ["K", "V"],
  params: TABLE_PARAMS,
  forms: [["capacity"]],
  defaults: {},
  checkKey: (key) => (key.kind === "ip4" || key.kind === "ip6" ? undefined : "`ip4` or `ip6`"),
  derive: identity,
  memoryBytes: (p, key, value) => tableMemory(p, key, value) + Number(p.capacity) * 8, // prefix length + trie node
  ops: {
    get: TABLE_OPS.get!,
    contains: TABLE_OPS.contains!,
    insert: controlPlaneOnly(TABLE_OPS.insert!),
    update: controlPlaneOnly(TABLE_OPS.update!),
    remove: controlPlaneOnly(TABLE_OPS.remove!),
  },
  doc: "longest-prefix match; prefixes are managed by the control plane",
};
