// Semantic types and their memory layout. Layout is C's natural layout (what clang gives a BPF
// struct), so map keys/values, the manifest and the reference interpreter agree byte for byte.

export type IntBits = 8 | 16 | 32 | 64;

export interface FieldTy {
  name: string;
  ty: Ty;
  /** Byte offset inside the struct. */
  offset: number;
}

export type Ty =
  | { kind: "int"; bits: IntBits }
  | { kind: "bool" }
  | { kind: "ip4" }
  | { kind: "ip6" }
  | { kind: "mac" }
  | { kind: "bytes"; len: number }
  | { kind: "struct"; name: string; fields: FieldTy[]; size: number; align: number } // user types and flow5
  | { kind: "header"; name: string } // a parsed header (reference into the packet)
  | { kind: "option"; inner: Ty } // result of table `get`: must be bound by let-else / if-let
  | { kind: "ref"; inner: Ty } // a bound map value (writable fields, not atomic)
  | { kind: "void" };

export const U8: Ty = { kind: "int", bits: 8 };
export const U16: Ty = { kind: "int", bits: 16 };
export const U32: Ty = { kind: "int", bits: 32 };
export const U64: Ty = { kind: "int", bits: 64 };
export const BOOL: Ty = { kind: "bool" };
export const IP4: Ty = { kind: "ip4" };
export const IP6: Ty = { kind: "ip6" };
export const MAC: Ty = { kind: "mac" };
export const VOID: Ty = { kind: "void" };

export function sizeOf(t: Ty): number {
  switch (t.kind) {
    case "int":
      return t.bits / 8;
    case "bool":
      return 1;
    case "ip4":
      return 4;
    case "ip6":
      return 16;
    case "mac":
      return 6;
    case "bytes":
      return t.len;
    case "struct":
      return t.size;
    case "header":
    case "option":
    case "ref":
    case "void":
      return 0;
    default:
      return assertNever(t);
  }
}

export function alignOf(t: Ty): number {
  switch (t.kind) {
    case "int":
      return t.bits / 8;
    case "ip4":
      return 4;
    case "ip6":
      return 4; // struct { __be32 w[4]; }
    case "struct":
      return t.align;
    default:
      return 1;
  }
}

/** Lays out fields in order with natural alignment, like a C struct. */
export function structTy(name: string, fields: { name: string; ty: Ty }[]): Ty & { kind: "struct" } {
  let off = 0;
  let align = 1;
  const out: FieldTy[] = [];
  for (const f of fields) {
    const a = alignOf(f.ty);
    off = roundUp(off, a);
    out.push({ name: f.name, ty: f.ty, offset: off });
    off += sizeOf(f.ty);
    align = Math.max(align, a);
  }
  return { kind: "struct", name, fields: out, size: roundUp(Math.max(off, 1), align), align };
}

/** The 5-tuple: 16 bytes, zero padded. */
export const FLOW5: Ty & { kind: "struct" } = structTy("flow5", [
  { name: "src", ty: IP4 },
  { name: "dst", ty: IP4 },
  { name: "sport", ty: U16 },
  { name: "dport", ty: U16 },
  { name: "proto", ty: U8 },
]);

export function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function isInt(t: Ty): t is { kind: "int"; bits: IntBits } {
  return t.kind === "int";
}

/** Types that can be map keys/values, locals and struct fields (plain bytes). */
export function isData(t: Ty): boolean {
  return ["int", "bool", "ip4", "ip6", "mac", "bytes", "struct"].includes(t.kind);
}

export function tyEq(a: Ty, b: Ty): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "int":
      return a.bits === (b as typeof a).bits;
    case "bytes":
      return a.len === (b as typeof a).len;
    case "struct":
    case "header":
      return a.name === (b as typeof a).name;
    case "option":
    case "ref":
      return tyEq(a.inner, (b as typeof a).inner);
    default:
      return true;
  }
}

/** How the user writes the type (diagnostics, manifest). */
export function tyName(t: Ty): string {
  switch (t.kind) {
    case "int":
      return `u${t.bits}`;
    case "bytes":
      return `bytes[${t.len}]`;
    case "struct":
    case "header":
      return t.name;
    case "option":
      return `${tyName(t.inner)}?`;
    case "ref":
      return tyName(t.inner);
    default:
      return t.kind;
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected kind: ${JSON.stringify(x)}`);
}
