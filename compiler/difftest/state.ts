// State snapshots in one flat form for both sides: `name[keyhex]@cpu` (table entries),
// `name@cpu` (whole sketch: count-min cells / bloom bits as their C bytes; a "store" map of a
// plug-in kind: its entries in index order = KindStore.mapBytes), `counter name@cpu`
// (u64 LE) → bytes. The kernel side dumps every map and decodes it via the manifest (count-min and
// bloom maps are chunked arrays: the chunks in index order are the cells / bit words); the
// interpreter side reads its handles. Array entries whose value is all zero are left out on both
// sides (the kernel lists every index). Time-derived bytes compare exactly: test builds read the
// test clock (clock.ts).
import type { Interpreter } from "../../lang/interp/index.js";
import { toHex, type KernelRunner } from "../kernel/runner.js";
import type { Manifest } from "../manifest.js";

export type Snapshot = Map<string, Uint8Array>;

const zero = (b: Uint8Array): boolean => b.every((x) => x === 0);

function u64le(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v & 0xffffffffffffffffn, true);
  return b;
}

export function interpSnapshot(it: Interpreter, manifest: Manifest): Snapshot {
  const s: Snapshot = new Map();
  for (const m of manifest.maps) {
    const cpus = m.per_cpu ? it.cpus : 1;
    if (m.family === "table") {
      const h = it.tables[m.name]!;
      for (let c = 0; c < cpus; c++)
        for (const e of h.entries(c)) {
          if (m.kind === "array" && zero(e.value)) continue;
          s.set(`${m.name}[${toHex(e.key)}]@${c}`, e.value);
        }
    } else if (m.family === "store") {
      const st = it.stores[String(m.params.structure)];
      if (!st) throw new Error(`state: map \`${m.name}\` names no plug-in structure`);
      for (let c = 0; c < cpus; c++) s.set(`${m.name}@${c}`, st.mapBytes(m.name, c).slice());
    } else if (m.family === "sketch") {
      const sk = it.sketches[m.name]!;
      for (let c = 0; c < cpus; c++) {
        const bytes = "cells" in sk ? new Uint8Array(sk.cells(c).slice().buffer) : sk.bitArray(c).slice();
        s.set(`${m.name}@${c}`, bytes);
      }
    }
  }
  for (const c of manifest.counters) {
    const vals = it.counters[c.name]!.values();
    vals.forEach((v, cpu) => s.set(`counter ${c.name}@${cpu}`, u64le(v)));
  }
  return s;
}

export async function kernelSnapshot(k: KernelRunner, manifest: Manifest): Promise<Snapshot> {
  const s: Snapshot = new Map();
  for (const m of manifest.maps) {
    if (m.family === "scratch" || m.family === "opaque") continue;
    const entries = await k.dump(m.symbol);
    const shards = (e: { value?: Uint8Array; values?: Uint8Array[] }): Uint8Array[] => e.values ?? [e.value!];
    if (m.family === "table") {
      for (const e of entries)
        shards(e).forEach((v, c) => {
          if (m.kind === "array" && zero(v)) return;
          s.set(`${m.name}[${toHex(e.key)}]@${c}`, v);
        });
    } else if (m.family === "sketch" || m.family === "store") {
      const sorted = [...entries].sort(
        (a, b) =>
          new DataView(a.key.buffer, a.key.byteOffset).getUint32(0, true) -
          new DataView(b.key.buffer, b.key.byteOffset).getUint32(0, true),
      );
      const cpus = sorted[0] ? shards(sorted[0]).length : 0;
      for (let c = 0; c < cpus; c++) {
        const parts = sorted.map((e) => shards(e)[c]!);
        const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
        let off = 0;
        for (const p of parts) {
          all.set(p, off);
          off += p.length;
        }
        s.set(`${m.name}@${c}`, all);
      }
    } else if (m.family === "counter") {
      const e = entries[0];
      if (!e) continue;
      for (const c of manifest.counters.filter((x) => x.map === m.name))
        shards(e).forEach((v, cpu) => s.set(`counter ${c.name}@${cpu}`, v.slice(c.offset, c.offset + 8)));
    }
  }
  return s;
}

/** The first differing region of two byte strings (masked bytes ignored), as hex. */
export function firstDiff(
  a: Uint8Array,
  b: Uint8Array,
  skip?: Uint8Array,
  names: [string, string] = ["kernel", "interp"],
): string | undefined {
  const n = Math.max(a.length, b.length);
  let start = -1;
  for (let i = 0; i < n; i++)
    if (!skip?.[i] && a[i] !== b[i]) {
      start = i;
      break;
    }
  if (start < 0) return undefined;
  const from = Math.max(0, start - 4);
  const to = Math.min(n, start + 16);
  return `length ${a.length} vs ${b.length}, first difference at byte ${start}: ${names[0]} ${toHex(a.subarray(from, to))} / ${names[1]} ${toHex(b.subarray(from, to))} (from byte ${from})`;
}

/** Differences between the kernel and interpreter snapshots. */
export function diffState(kernel: Snapshot, interp: Snapshot): string[] {
  const out: string[] = [];
  for (const [key, kv] of kernel) {
    const iv = interp.get(key);
    if (!iv) out.push(`${key}: only in the kernel (${toHex(kv.subarray(0, 32))})`);
    else {
      const d = firstDiff(kv, iv);
      if (d) out.push(`${key}: ${d}`);
    }
  }
  for (const [key, iv] of interp)
    if (!kernel.has(key)) out.push(`${key}: only in the interpreter (${toHex(iv.subarray(0, 32))})`);
  return out;
}
