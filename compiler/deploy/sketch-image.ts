// A sketch's merged state as the control plane sees it (`nfc sketch … dump --json`, `nfc sketch
// merge`): kind, geometry (with the hash seed) and one merged copy of its memory. Shards (per-CPU
// copies, or dumps of the same sketch from several machines) merge as docs/LANGUAGE.md and
// docs/blocks/*.md define:
//   count_min: cells summed (mod 2^32); count_sketch, nitro: signed cells summed (wrapping __s32);
//   bloom: bits ORed; hll: registers maxed per group (HyperLogLog union; the group's counters
//   recomputed); topk: counts of equal keys summed (saturating), the k largest kept (count
//   descending, then key bytes ascending).
// Queries run the interpreter's own code on the merged memory (lang/interp: CountMinStore,
// BloomStore, csEstimate, hllEstimate), with lang/hash.ts's nf_hash64: the one TypeScript twin of
// the datapath's hash. Nothing here touches the kernel.
import { HLL_GROUP_HEADER, hllEstimate, hllGroupBytes, hllTerm } from "../../lang/blocks/hll.js";
import { topkLayout } from "../../lang/blocks/topk.js";
import { csEstimate, csProbes } from "../../lang/interp/kinds/count-sketch.js";
import { BloomStore } from "../../lang/interp/kinds/bloom.js";
import { CountMinStore } from "../../lang/interp/kinds/count-min.js";
import type { Layout } from "../ir/ir.js";
import type { ManifestMap } from "../manifest.js";
import { deployFail } from "./errors.js";

export const SKETCH_KINDS = ["count_min", "count_sketch", "nitro", "bloom", "hll", "topk"] as const;
export type SketchKind = (typeof SKETCH_KINDS)[number];

export interface SketchImage {
  format: "nfc-sketch/1";
  /** The structure's name (its hash seed derives from it). */
  name: string;
  kind: SketchKind;
  /** rows/width, bits/hashes, precision/groups or k; `seed` as 0x-hex; every field must match to merge. */
  geometry: Record<string, number | string>;
  /** The key type's layout (manifest `element`): how keys are parsed and printed. */
  element: Layout;
  /** Per-CPU shards (or dumps) merged into this image. */
  shards: number;
  /** count_min, count_sketch, nitro: rows × width cells, row-major. */
  cells?: number[];
  /** bloom: the bit array's bytes (bit b at byte b >> 3, bit b & 7) as hex. */
  bits?: string;
  /** hll: each group's 2^precision registers as hex. */
  registers?: string[];
  /** topk: tracked keys (hex of the key's C bytes) with their counts, largest first. */
  top?: Array<{ key: string; count: number }>;
}

const SAT32 = 0xffffffff;
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

function geometryOf(m: ManifestMap): Record<string, number | string> {
  const p = m.params;
  const pick = (...ks: string[]): Record<string, number | string> =>
    Object.fromEntries(ks.map((k) => [k, p[k] as number | string]));
  switch (m.kind as SketchKind) {
    case "count_min":
    case "count_sketch":
      return { ...pick("rows", "width", "seed"), key_size: m.element!.size };
    case "nitro":
      return { ...pick("rows", "width", "one_in", "seed"), key_size: m.element!.size };
    case "bloom":
      return { ...pick("bits", "hashes", "seed"), key_size: m.element!.size };
    case "hll":
      return { ...pick("precision", "groups", "seed"), key_size: m.element!.size };
    case "topk":
      return { k: Number(p.k), key_size: m.element!.size };
  }
}

/** One shard's memory (the structure map's entries concatenated) as an unmerged image. */
export function shardImage(m: ManifestMap, bytes: Uint8Array): SketchImage {
  const kind = m.kind as SketchKind;
  const base = { format: "nfc-sketch/1" as const, name: m.name, kind, element: m.element!, shards: 1 };
  const geometry = geometryOf(m);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === "count_min" || kind === "count_sketch" || kind === "nitro") {
    const n = Number(geometry.rows) * Number(geometry.width);
    const signed = kind !== "count_min";
    const cells = Array.from({ length: n }, (_, i) =>
      signed ? dv.getInt32(i * 4, true) : dv.getUint32(i * 4, true),
    );
    return { ...base, geometry, cells };
  }
  if (kind === "bloom")
    return { ...base, geometry, bits: hex(bytes.subarray(0, Math.ceil(Number(geometry.bits) / 64) * 8)) };
  if (kind === "hll") {
    const p = Number(geometry.precision);
    const gb = hllGroupBytes(p);
    const registers = Array.from({ length: Number(geometry.groups) }, (_, g) =>
      hex(bytes.subarray(g * gb + HLL_GROUP_HEADER, (g + 1) * gb)),
    );
    return { ...base, geometry, registers };
  }
  const lay = topkLayout(Number(geometry.k), { kind: "bytes", len: Number(geometry.key_size) });
  const top: SketchImage["top"] = [];
  for (let i = 0; i < Number(geometry.k); i++) {
    const count = dv.getUint32(lay.cnt + 4 * i, true);
    const at = lay.key + i * lay.stride;
    if (count !== 0) top.push({ key: hex(bytes.subarray(at, at + lay.stride)), count });
  }
  return { ...base, geometry, top: topOrder(top, Number(geometry.k)) };
}

function topOrder(top: NonNullable<SketchImage["top"]>, k: number): NonNullable<SketchImage["top"]> {
  return [...top]
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, k);
}

/** Why two images cannot merge, or undefined. */
export function mergeConflict(a: SketchImage, b: SketchImage): string | undefined {
  if (a.kind !== b.kind) return `kind ${a.kind} vs ${b.kind}`;
  for (const k of new Set([...Object.keys(a.geometry), ...Object.keys(b.geometry)]))
    if (a.geometry[k] !== b.geometry[k]) return `${k} ${String(a.geometry[k])} vs ${String(b.geometry[k])}`;
  if (JSON.stringify(a.element) !== JSON.stringify(b.element)) return "key types differ";
  return undefined;
}

/** Merges images of one sketch (NF6022 naming the first difference of kind or geometry). */
export function mergeImages(images: readonly SketchImage[], labels?: readonly string[]): SketchImage {
  const first = images[0]!;
  images.forEach((x, i) => {
    const why = mergeConflict(first, x);
    if (why) deployFail("NF6022", { a: labels?.[0] ?? first.name, b: labels?.[i] ?? x.name, why });
  });
  const out: SketchImage = { ...first, shards: images.reduce((s, x) => s + x.shards, 0) };
  if (first.cells) {
    const signed = first.kind !== "count_min";
    out.cells = first.cells.map((_, i) => {
      const s = images.reduce((acc, x) => acc + x.cells![i]!, 0);
      return signed ? s | 0 : s >>> 0;
    });
  }
  if (first.bits !== undefined) {
    const bits = unhex(first.bits);
    for (const x of images.slice(1)) unhex(x.bits!).forEach((v, i) => (bits[i]! |= v));
    out.bits = hex(bits);
  }
  if (first.registers)
    out.registers = first.registers.map((_, g) => {
      const r = unhex(first.registers![g]!);
      for (const x of images.slice(1)) unhex(x.registers![g]!).forEach((v, i) => (r[i] = Math.max(r[i]!, v)));
      return hex(r);
    });
  if (first.top) {
    const sum = new Map<string, number>();
    for (const x of images)
      for (const e of x.top!) sum.set(e.key, Math.min((sum.get(e.key) ?? 0) + e.count, SAT32));
    out.top = topOrder(
      [...sum].map(([key, count]) => ({ key, count })),
      Number(first.geometry.k),
    );
  }
  return out;
}

/** count_min / count_sketch / nitro / topk: the estimate of `key` (its C bytes). */
export function estimate(img: SketchImage, key: Uint8Array): number {
  const g = img.geometry;
  if (img.kind === "count_min") {
    const s = new CountMinStore(img.name, Number(g.rows), Number(g.width), false, 1);
    s.cells(0).set(img.cells!);
    return s.estimate(key);
  }
  if (img.kind === "count_sketch" || img.kind === "nitro") {
    const { ix, sign } = csProbes(key, BigInt(g.seed!), Number(g.rows), Number(g.width));
    return Number(csEstimate([Int32Array.from(img.cells!)], ix, sign));
  }
  if (img.kind === "topk") return img.top!.find((e) => e.key === hex(key))?.count ?? 0;
  throw new Error(`estimate on ${img.kind}`);
}

/** bloom: whether `key` may have been inserted. */
export function contains(img: SketchImage, key: Uint8Array): boolean {
  const s = new BloomStore(img.name, Number(img.geometry.bits), Number(img.geometry.hashes), false, 1);
  s.bitArray(0).set(unhex(img.bits!));
  return s.contains(key);
}

/** hll: the distinct count of `group` (masked with groups − 1), from the merged registers. */
export function distinct(img: SketchImage, group: number): number {
  const p = Number(img.geometry.precision);
  const regs = unhex(img.registers![group & (Number(img.geometry.groups) - 1)]!);
  let nonzero = 0;
  let deficit = 0n;
  const empty = hllTerm(p, 0);
  for (const r of regs) {
    if (r !== 0) nonzero++;
    deficit += empty - hllTerm(p, r);
  }
  return Number(hllEstimate(p, nonzero, deficit));
}

/** Checks that parsed JSON is an image (NF6023 otherwise). */
export function asImage(v: unknown, file: string): SketchImage {
  const x = v as Partial<SketchImage> | null;
  const ok =
    !!x &&
    x.format === "nfc-sketch/1" &&
    SKETCH_KINDS.includes(x.kind as SketchKind) &&
    typeof x.geometry === "object" &&
    typeof x.element === "object" &&
    (x.cells !== undefined || x.bits !== undefined || x.registers !== undefined || x.top !== undefined);
  if (!ok)
    deployFail("NF6023", { file, why: "not an `nfc sketch … dump --json` output (format nfc-sketch/1)" });
  return x as SketchImage;
}
