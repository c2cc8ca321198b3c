// The kernel's limits on ONE map value, decided from the declaration alone, so that `nfc check`
// refuses what `nfc build` would (F7): the same codes and spans as the backend's checks
// (compiler/blocks/ordered.ts NF4102, compiler/passes/map-limits.ts NF4201), which stay as a
// backstop. The value of a kind's map: the whole structure (`oneValue`), the kind's `valueBytes`
// (a cuckoo bucket, an hll group), or a table's value type; other sketches are chunked under 32 KiB.
import type { BlockDef, Params } from "../blocks/index.js";
import { diag } from "../diagnostics/catalogue.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../span.js";
import { sizeOf, type Ty } from "../types.js";

/** PCPU_MIN_UNIT_SIZE: the largest per-CPU map value. */
export const PER_CPU_VALUE_MAX = 32 * 1024;
/** KMALLOC_MAX_SIZE on x86-64 (4 KiB pages, MAX_PAGE_ORDER 10): the largest map value. */
export const KMALLOC_MAX = 4 * 1024 * 1024;
/** What the kernel allocates beside a hashed element: struct htab_elem (48 bytes), LPM's trie node. */
export const ELEM_HEADER = 512;

/** Map types (lower case, as NF4201 names them) of the table kinds; every other kind is an array. */
const MAP_TYPE: Readonly<Record<string, string>> = { hash: "hash", lru: "lru_hash", lpm: "lpm_trie" };

const up8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The one diagnostic a declaration's map value breaks, if any (per_cpu lpm is a shared trie). */
export function valueLimit(
  block: BlockDef,
  params: Params,
  key: Ty,
  value: Ty | undefined,
  name: string,
  span: Span,
): Diagnostic | undefined {
  const bytes = block.oneValue
    ? block.memoryBytes(params, key, value)
    : (block.valueBytes?.(params, key, value) ?? (block.family === "table" && value ? sizeOf(value) : 0));
  const perCpu = params.per_cpu === true && block.name !== "lpm";
  if (block.name === "ordered") {
    const max = perCpu ? PER_CPU_VALUE_MAX : KMALLOC_MAX;
    return bytes > max ? diag("NF4102", span, { name, bytes, max, perCpu }) : undefined;
  }
  if (block.oneValue && perCpu && bytes > PER_CPU_VALUE_MAX)
    return diag("NF4103", span, { name, kind: block.name, bytes, max: PER_CPU_VALUE_MAX });
  if (perCpu && up8(bytes) > PER_CPU_VALUE_MAX)
    return diag("NF4201", span, {
      name,
      what: "a per-CPU value",
      bytes,
      max: PER_CPU_VALUE_MAX,
      map: "per-CPU",
    });
  const map = MAP_TYPE[block.name] ?? "array";
  const hashed = map !== "array";
  const keyBytes = block.name === "lpm" ? 4 + sizeOf(key) : sizeOf(key);
  const pair = hashed ? keyBytes + bytes : bytes;
  const max = hashed ? KMALLOC_MAX - ELEM_HEADER : KMALLOC_MAX;
  if (pair > max)
    return diag("NF4201", span, {
      name,
      what: hashed ? "a key and value" : "a value",
      bytes: pair,
      max,
      map,
    });
  return undefined;
}
