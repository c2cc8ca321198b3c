// The state setup applied identically to the kernel and the interpreter before the packets:
// integer configs set low (2..6, so thresholds are crossed), every table given a few entries whose
// keys come from the packet generator's pools (lpm: prefixes of pool addresses in the kernel key
// layout `u32 prefixlen (LE) + addr`), values small integers so ids chain between tables (route →
// next hop index). Derived from the manifest layouts, so `nfc test` works on any program.
import type { CheckedProgram, Value } from "../../lang/checked.js";
import type { Interpreter, LpmHandle, TableHandle } from "../../lang/interp/index.js";
import { toHex, type KernelRunner } from "../kernel/runner.js";
import type { Layout } from "../ir/ir.js";
import type { Manifest, ManifestMap } from "../manifest.js";
import { gen, POOL4, POOL6, SMALL_INTS, usePools, type Gen } from "./packets.js";

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
  return { configs, entries };
}

/** Configs go in before `load`; call `applyTables` after it. */
export async function applyConfigs(setup: Setup, k: KernelRunner, interps: Interpreter[]): Promise<void> {
  for (const c of setup.configs) {
    await k.config(c.symbol, c.bytes);
    for (const it of interps) it.setConfig(c.name, c.value);
  }
}

export async function applyTables(
  setup: Setup,
  manifest: Manifest,
  k: KernelRunner,
  interps: Interpreter[],
): Promise<void> {
  const byName = new Map<string, ManifestMap>(manifest.maps.map((m) => [m.name, m]));
  const stored = new Set<string>();
  for (const e of setup.entries) {
    if (interps[0]?.stores[e.map]) {
      // A plug-in kind: the interpreter places the entry; its maps are copied to the kernel below.
      for (const it of interps)
        if (!it.stores[e.map]!.entry?.(e.key, e.value))
          throw new Error(`difftest: \`${e.map}\` refused the entry ${toHex(e.key)} (full, or no control-plane insert)`);
      stored.add(e.map);
      continue;
    }
    await k.update(byName.get(e.map)!.kernel_name, e.key, e.value);
    for (const it of interps) {
      const h = it.tables[e.map];
      if (!h) throw new Error(`difftest: the interpreter has no table \`${e.map}\``);
      if (h.kind === "lpm") (h as LpmHandle).set(e.lpm!, e.value);
      else (h as TableHandle).set(e.key, e.value);
    }
  }
  for (const m of manifest.maps) {
    const owner = String(m.params.structure);
    if (m.family !== "store" || !stored.has(owner)) continue;
    await writeStoreMap(k, m, interps[0]!.stores[owner]!.mapBytes(m.name, 0));
  }
}

/** Writes a structure's bytes into its array map, entry by entry (per-CPU: every CPU alike). */
export async function writeStoreMap(k: KernelRunner, m: ManifestMap, bytes: Uint8Array): Promise<void> {
  const size = m.value.size;
  if (bytes.length !== size * m.max_entries)
    throw new Error(`difftest: \`${m.name}\` holds ${size * m.max_entries} bytes, the interpreter gave ${bytes.length}`);
  for (let i = 0; i < m.max_entries; i++) {
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, i, true);
    await k.update(m.kernel_name, key, bytes.subarray(i * size, (i + 1) * size));
  }
}
