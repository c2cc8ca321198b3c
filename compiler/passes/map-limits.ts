// Map limits: the kernel's limits on the maps of one program, checked on the map list the object will
// declare (after every pass, so `counters`, `scratch` and a kind's extra maps count), not on a guess
// from the source. Nothing is rewritten; a violation is an NF42xx at the declaration that crosses it.
// The checker refuses what one declaration decides (lang/check/value-limits.ts, same codes and
// spans); what remains here is a backstop and the counts that depend on the maps lowering adds.
//   NF4200  at most 64 maps per program (MAX_USED_MAPS), two kept for `.rodata` and the test clock
//   NF4201  per-CPU values at most 32 KiB (PCPU_MIN_UNIT_SIZE); others (hash: key + value) ~4 MiB
//   NF4202  all maps together at most 1 GiB per CPU shard (entries x value, + key for hashed maps)
import { ELEM_HEADER, KMALLOC_MAX, PER_CPU_VALUE_MAX } from "../../lang/check/value-limits.js";
import { diag } from "../../lang/diagnostics/catalogue.js";
import type { IrMap } from "../ir/ir.js";
import type { Pass } from "./pass.js";

export const MAX_USED_MAPS = 64;
/** `.rodata` (configs, stdlib constant tables) and `nf_test_clock` (test builds) are maps too. */
export const LOADER_MAPS = 2;
export { PER_CPU_VALUE_MAX };
export const PROGRAM_MEMORY_MAX = 1024 * 1024 * 1024;

const up8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The first value-size limit `m` breaks, as NF4201's parameters. */
function valueLimit(m: IrMap): { what: string; bytes: number; max: number; map: string } | undefined {
  const perCpu = m.perCpu || m.mapType.includes("PERCPU");
  const value = m.valueLayout.size;
  const hashed = /HASH|LPM/.test(m.mapType);
  if (perCpu && up8(value) > PER_CPU_VALUE_MAX)
    return { what: "a per-CPU value", bytes: value, max: PER_CPU_VALUE_MAX, map: "per-CPU" };
  const pair = hashed ? m.keyLayout.size + value : value;
  const max = hashed ? KMALLOC_MAX - ELEM_HEADER : KMALLOC_MAX;
  if (pair > max)
    return {
      what: hashed ? "a key and value" : "a value",
      bytes: pair,
      max,
      map: m.mapType.replace("BPF_MAP_TYPE_", "").toLowerCase(),
    };
  return undefined;
}

export const mapLimits: Pass = {
  name: "map-limits",
  why: "the kernel's per-program map limits (count, value size, memory) as coded errors, not load failures",
  run(ir, diagnostics) {
    const maps = [...ir.maps].sort((a, b) => a.span.start - b.span.start);
    const over = maps[MAX_USED_MAPS - LOADER_MAPS];
    if (over)
      diagnostics.push(
        diag("NF4200", over.span, {
          name: over.name,
          count: maps.length,
          max: MAX_USED_MAPS - LOADER_MAPS,
          reserved: LOADER_MAPS,
        }),
      );
    for (const m of maps) {
      const v = valueLimit(m);
      if (v) diagnostics.push(diag("NF4201", m.span, { name: m.name, ...v }));
    }
    let bytes = 0;
    for (const m of maps) {
      bytes +=
        m.maxEntries * ((/HASH|LPM/.test(m.mapType) ? up8(m.keyLayout.size) : 0) + up8(m.valueLayout.size));
      if (bytes <= PROGRAM_MEMORY_MAX) continue;
      diagnostics.push(
        diag("NF4202", m.span, {
          name: m.name,
          mib: (bytes / 2 ** 20).toFixed(1),
          max: PROGRAM_MEMORY_MAX / 2 ** 20,
        }),
      );
      break;
    }
    return ir;
  },
};
