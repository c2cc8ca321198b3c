// The state setup applied identically to the kernel and the interpreter before the packets:
// integer configs set low (2..6, so thresholds are crossed), every table given a few entries whose
// keys come from the packet generator's pools (lpm: prefixes of pool addresses in the kernel key
// layout `u32 prefixlen (LE) + addr`; plug-in tables such as cuckoo through their control-plane
// insert, see tableWrites), values small integers so ids chain between tables (route →
// next hop index). Derived from the manifest layouts, so `nfc test` works on any program.
import type { CheckedProgram, Value } from "../../lang/checked.js";
import type { Interpreter, LpmHandle, TableHandle } from "../../lang/interp/index.js";
import { toHex, type KernelRunner } from "../kernel/runner.js";
import type { Layout } from "../ir/ir.js";
import { layoutOf } from "../lower/types.js";
import { STORES } from "../../lang/interp/kinds/index.js";
import type { Manifest, ManifestMap } from "../manifest.js";
import { gen, POOL4, POOL6, POOLMAC, SMALL_INTS, usePools, type Gen } from "./packets.js";

export interface ConfigSetting {
  name: string;
  symbol: string;
  bytes: Uint8Array;
  value: Value;
}

export interface TableEntry {
  map: string;
  key: Uint8Array;
  value: Uint8Array;
  lpm?: { prefixLen: number; addr: Uint8Array };
}

export interface Setup {
  configs: ConfigSetting[];
  entries: TableEntry[];
}

const le = (v: number, size: number): number[] =>
  Array.from({ length: size }, (_, i) => (i < 4 ? (v >>> (8 * i)) & 0xff : 0));

/** Bytes for one layout: pool addresses, small integers, zero padding. */
function fill(g: Gen, layout: Layout): Uint8Array {
  const out = new Uint8Array(layout.size);
  for (const f of layout.fields) {
    let b: number[];
    if (f.type === "pad") b = new Array<number>(f.size).fill(0);
    else if (f.type === "ip4") b = g.pick(POOL4);
    else if (f.type === "ip6") b = g.pick(POOL6);
    else if (f.type === "mac") b = g.pick(POOLMAC);
    else if (f.type === "bool") b = [g.n(2)];
    else if (/^u(8|16|32|64)$/.test(f.type)) {
      const v = g.n(f.type === "u8" ? 8 : SMALL_INTS);
      b = f.order === "network" ? le(v, f.size).reverse() : le(v, f.size);
    } else b = g.bytes(f.size);
    out.set(b.slice(0, f.size), f.offset);
  }
  return out;
}

function mask(addr: number[], len: number): number[] {
  return addr.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, len - 8 * i));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

export function deriveSetup(program: CheckedProgram, manifest: Manifest, seed: number): Setup {
  const g = gen(seed ^ 0x5e7);
  usePools(program);
  const configs: ConfigSetting[] = [];
  for (const c of manifest.configs) {
    const decl = program.configs.find((d) => d.name === c.name);
    if (!decl || decl.ty.kind !== "int") continue;
    const v = 2 + g.n(5);
    configs.push({
      name: c.name,
      symbol: c.symbol,
      bytes: new Uint8Array(le(v, c.size)),
      value: { kind: "int", v: BigInt(v) },
    });
  }
  const entries: TableEntry[] = [];
  for (const m of manifest.maps) {
    if (m.family !== "table") continue;
    const n = Math.min(8, Math.floor(m.max_entries / 4));
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const value = fill(g, m.value);
      if (m.kind === "lpm") {
        const v6 = m.key.size === 20;
        const len = v6 ? g.pick([32, 48, 64, 120, 128]) : g.pick([8, 16, 24, 28, 32]);
        const addr = mask(v6 ? g.pick(POOL6) : g.pick(POOL4), len);
        if (len <= 8 && g.r() < 0.7) continue; // keep wide prefixes rare
        const key = new Uint8Array([...le(len, 4), ...addr]);
        if (!seen.has(key.join()))
          entries.push({ map: m.name, key, value, lpm: { prefixLen: len, addr: new Uint8Array(addr) } });
        seen.add(key.join());
      } else {
        const key =
          m.kind === "array"
            ? new Uint8Array(le(i < 4 ? i : g.n(Math.min(m.max_entries, SMALL_INTS)), 4))
            : fill(g, m.key);
        if (!seen.has(key.join())) entries.push({ map: m.name, key, value });
        seen.add(key.join());
      }
    }
  }
  // Plug-in table kinds with a control-plane insert (cuckoo, ordered): a few entries alike.
  for (const d of program.states) {
    const factory = STORES[d.kind];
    if (d.family !== "table" || !d.value || !factory?.(d, { cpus: 1, backend: "bpf" }).entry) continue;
    // Only where this object keeps the structure in "store" maps the setup can write (not kmod
    // kernel objects, family "opaque").
    if (!manifest.maps.some((m) => m.family === "store" && m.params.structure === d.name)) continue;
    const n = Math.min(8, Math.floor(Number(d.params.capacity) / 4));
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const key = fill(g, layoutOf(d.key, "key", "key"));
      const value = fill(g, layoutOf(d.value, "value", "value"));
      if (!seen.has(key.join())) entries.push({ map: d.name, key, value });
      seen.add(key.join());
    }
  }
  return { configs, entries };
}

/** Configs go in before `load`; call `applyTables` after it. */
export async function applyConfigs(setup: Setup, k: KernelRunner, interps: Interpreter[]): Promise<void> {
  for (const c of setup.configs) {
    await k.config(c.symbol, c.bytes);
    for (const it of interps) it.setConfig(c.name, c.value);
  }
}

/** One kernel map update: kernel map name, key and value bytes. */
export interface MapWrite {
  map: string;
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * Applies the setup's table entries to the interpreter and returns the kernel map updates that
 * make the kernel's state the same: table entries as given; a plug-in kind (cuckoo, ordered)
 * places the entry in the interpreter, and its "store" maps are then written whole, entry by
 * entry, from KindStore.mapBytes (per-CPU maps: every CPU alike).
 */
export function tableWrites(setup: Setup, manifest: Manifest, it: Interpreter): MapWrite[] {
  const byName = new Map<string, ManifestMap>(manifest.maps.map((m) => [m.name, m]));
  const writes: MapWrite[] = [];
  const stored = new Set<string>();
  for (const e of setup.entries) {
    const store = it.stores[e.map];
    if (store) {
      if (!store.entry?.(e.key, e.value))
        throw new Error(
          `difftest: \`${e.map}\` refused the entry ${toHex(e.key)} (full, or no control-plane insert)`,
        );
      stored.add(e.map);
      continue;
    }
    const h = it.tables[e.map];
    const m = byName.get(e.map);
    if (!h || !m) throw new Error(`difftest: no table \`${e.map}\``);
    if (h.kind === "lpm") (h as LpmHandle).set(e.lpm!, e.value);
    else (h as TableHandle).set(e.key, e.value);
    writes.push({ map: m.symbol, key: e.key, value: e.value });
  }
  for (const m of manifest.maps) {
    const owner = String(m.params.structure);
    if (m.family !== "store" || !stored.has(owner)) continue;
    const bytes = it.stores[owner]!.mapBytes(m.name, 0);
    const size = m.value.size;
    if (bytes.length !== size * m.max_entries)
      throw new Error(
        `difftest: \`${m.name}\` holds ${size * m.max_entries} bytes, the interpreter gave ${bytes.length}`,
      );
    for (let i = 0; i < m.max_entries; i++) {
      const key = new Uint8Array(4);
      new DataView(key.buffer).setUint32(0, i, true);
      writes.push({ map: m.symbol, key, value: bytes.subarray(i * size, (i + 1) * size) });
    }
  }
  return writes;
}

/** Table entries after `load`, into the kernel and the interpreter alike. */
export async function applyTables(
  setup: Setup,
  manifest: Manifest,
  k: KernelRunner,
  it: Interpreter,
): Promise<void> {
  for (const w of tableWrites(setup, manifest, it)) await k.update(w.map, w.key, w.value);
}
