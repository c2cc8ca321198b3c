// Types and literals. Types are lang/types.ts's Ty (user structs via structTy) so the registry's
// own checks (checkKey, memoryBytes) apply to generated declarations unchanged.
import { POOL4, POOL6, POOLMAC } from "../../../compiler/difftest/packets.js";
import { BOOL, FLOW5, IP4, IP6, MAC, U16, U32, U64, U8, sizeOf, type Ty } from "../../../lang/types.js";
import type { Rand } from "./rand.js";

export const INTS: readonly Ty[] = [U8, U16, U32, U64];
export const SCALARS: readonly Ty[] = [...INTS, BOOL, IP4, IP6, MAC];
export { BOOL, FLOW5, IP4, IP6, MAC, U16, U32, U64, U8 };

export type IntTy = Ty & { kind: "int" };
export type StructTy = Ty & { kind: "struct" };

export const isInt = (t: Ty): t is IntTy => t.kind === "int";
export const intMax = (t: Ty): bigint => (1n << BigInt((t as IntTy).bits)) - 1n;

export function tyText(t: Ty): string {
  switch (t.kind) {
    case "int":
      return `u${t.bits}`;
    case "bytes":
      return `bytes[${t.len}]`;
    case "struct":
      return t.name;
    default:
      return t.kind;
  }
}

/** A short type label for the coverage table (all bytes[N] are one column, user structs one). */
export function tyLabel(t: Ty): string {
  if (t.kind === "bytes") return "bytes";
  if (t.kind === "struct") return t.name === "flow5" ? "flow5" : "struct";
  return tyText(t);
}

export function sameTy(a: Ty, b: Ty): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "int") return a.bits === (b as IntTy).bits;
  if (a.kind === "bytes") return a.len === (b as Ty & { kind: "bytes" }).len;
  if (a.kind === "struct") return a.name === (b as StructTy).name;
  return true;
}

/** An integer literal of type t in one of the lexer's spellings, values biased to boundaries. */
export function intLit(r: Rand, t: Ty, max?: bigint): string {
  const top = max ?? intMax(t);
  const v = r.weighted<() => bigint>([
    [4, () => BigInt(r.int(0, 16))],
    [2, () => BigInt(r.int(0, 2000)) % (top + 1n)],
    [1, () => top],
    [1, () => (top - BigInt(r.int(0, 2)) < 0n ? 0n : top - BigInt(r.int(0, 2)))],
    [1, () => (top + 1n) / 2n],
    [1, () => r.bits(Number((t as IntTy).bits)) % (top + 1n)],
    [1, () => BigInt([53, 80, 22, 443, 4789, 1234, 6, 17, 64, 0x0800][r.int(0, 9)]!) % (top + 1n)],
  ])();
  return spell(r, v);
}

export function spell(r: Rand, v: bigint): string {
  const s = r.weighted<string>([
    [6, v.toString()],
    [2, "0x" + v.toString(16)],
    [1, "0b" + v.toString(2)],
    [1, v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, "_")],
  ]);
  return s;
}

const dotted = (b: number[]): string => b.join(".");
const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

export function ip4Lit(r: Rand): string {
  return r.chance(0.8)
    ? dotted(r.pick(POOL4))
    : dotted([r.int(0, 255), r.int(0, 255), r.int(0, 255), r.int(0, 255)]);
}

export function ip6Lit(r: Rand): string {
  const b = r.chance(0.8) ? r.pick(POOL6) : Array.from({ length: 16 }, () => r.int(0, 255));
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  if (r.chance(0.5)) return groups.join(":");
  // compress the longest run of zero groups
  const s = groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
  return s.includes("::") && (s.match(/::/g) ?? []).length === 1 ? s : groups.join(":");
}

export function macLit(r: Rand): string {
  const b = r.chance(0.8) ? r.pick(POOLMAC) : Array.from({ length: 6 }, () => r.int(0, 255));
  return b.map(hex2).join(":");
}

/** A literal for a scalar type (int, bool, ip4, ip6, mac); undefined for the others. */
export function scalarLit(r: Rand, t: Ty): string | undefined {
  switch (t.kind) {
    case "int":
      return intLit(r, t);
    case "bool":
      return r.chance(0.5) ? "true" : "false";
    case "ip4":
      return ip4Lit(r);
    case "ip6":
      return ip6Lit(r);
    case "mac":
      return macLit(r);
    default:
      return undefined;
  }
}

export const isScalar = (t: Ty): boolean => ["int", "bool", "ip4", "ip6", "mac"].includes(t.kind);
export const slotBytes = (t: Ty): number => Math.ceil(Math.max(sizeOf(t), 1) / 8) * 8;
