// What an `lru` table guarantees, and how the differential holds both sides to it (docs/LANGUAGE.md).
// The kernel's LRU hash does not evict "the least recently used entry when full": each CPU takes
// free elements from a global list in batches of LOCAL_FREE_TARGET (128), and when none is left
// it evicts up to 128 entries it has not seen referenced (kernel/bpf/bpf_lru_list.c), possibly
// while other CPUs still hold free elements. Which keys survive is the kernel's choice, so it is
// not part of the language: an lru holds at most `capacity` entries, and a key that is present
// holds the value the program last wrote. The differential checks exactly that and follows the
// kernel's choice: once the interpreter's table is within 128 × CPUs of its capacity (where the
// kernel may start evicting), after each packet's kernel run the kernel's entries are read; the
// keys it evicted leave the interpreter's table at the packet's first element write (where the
// kernel evicts), and after the packet the kernel's entries replace the interpreter's.
import type { Interpreter, TableHandle } from "../../lang/interp/index.js";
import { toHex, type KernelRunner } from "../kernel/runner.js";
import type { Manifest } from "../manifest.js";

/** The kernel's per-CPU free-list batch (LOCAL_FREE_TARGET in kernel/bpf/bpf_lru_list.c). */
export const LRU_BATCH = 128;

interface Tracked {
  name: string;
  kernelName: string; // the C symbol the runner looks the map up by
  handle: TableHandle;
  /** The kernel's entries after the current packet, when the table is in the eviction zone. */
  kernel?: Array<{ key: Uint8Array; value?: Uint8Array; values?: Uint8Array[] }>;
}

export class LruSync {
  private readonly tracked: Tracked[];
  /** Adoptions so far. */
  syncs = 0;

  constructor(
    private readonly it: Interpreter,
    manifest: Manifest,
  ) {
    this.tracked = manifest.maps
      .filter((m) => m.family === "table" && m.kind === "lru")
      .map((m) => ({ name: m.name, kernelName: m.symbol, handle: it.tables[m.name] as TableHandle }));
  }

  /** After the kernel ran a packet, before the interpreter does: for every lru within reach of
   *  eviction, read the kernel's entries and tell the interpreter which keys the kernel evicted
   *  (they go at the packet's first element write, where the kernel evicts). */
  async afterKernel(k: KernelRunner): Promise<void> {
    for (const t of this.tracked) {
      const st = t.handle.stats();
      t.kernel = undefined;
      if (st.size < st.capacity - LRU_BATCH * this.it.cpus) continue;
      t.kernel = await k.dump(t.kernelName);
      const present = new Set(t.kernel.map((e) => toHex(e.key)));
      t.handle.evictOnNextWrite(
        t.handle
          .entries(0)
          .filter((e) => !present.has(toHex(e.key)))
          .map((e) => e.key),
      );
    }
  }

  /** After the interpreter ran the packet: the weak comparison (what an lru guarantees) and the
   *  adoption of the kernel's table. Returns violations of the guarantee. */
  afterInterpreter(): string[] {
    const out: string[] = [];
    for (const t of this.tracked) {
      if (!t.kernel) continue;
      t.handle.evictOnNextWrite([]);
      out.push(...this.adopt(t, t.kernel, t.handle.stats().capacity));
    }
    return out;
  }

  private adopt(t: Tracked, kernel: NonNullable<Tracked["kernel"]>, capacity: number): string[] {
    this.syncs++;
    const bad: string[] = [];
    if (kernel.length > capacity)
      bad.push(`${t.name}: the kernel holds ${kernel.length} entries, capacity ${capacity}`);
    const cpus = t.handle.perCpu ? this.it.cpus : 1;
    const kept = new Set<string>();
    for (const e of kernel) {
      const id = toHex(e.key);
      kept.add(id);
      const vals = e.values ?? [e.value!];
      for (let c = 0; c < cpus; c++) {
        const mine = t.handle.get(e.key, c);
        const theirs = vals[c]!;
        if (mine && toHex(mine) !== toHex(theirs))
          bad.push(
            `${t.name}[${id}]@${c}: kernel ${toHex(theirs)}, interpreter ${toHex(mine)} (a key on both sides must hold the same value)`,
          );
      }
    }
    for (const e of t.handle.entries(0)) if (!kept.has(toHex(e.key))) t.handle.delete(e.key);
    for (const e of kernel) {
      const vals = e.values ?? [e.value!];
      for (let c = 0; c < cpus; c++) t.handle.set(e.key, vals[c]!, t.handle.perCpu ? c : undefined);
    }
    return bad;
  }
}
