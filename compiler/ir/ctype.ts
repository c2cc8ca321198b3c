// C types of the IR and the mapping from language types (lang/types.ts) to them. Layouts are equal
// by construction: ints are __uN, ip4 __be32, ip6/mac/flow5 the stdlib structs (nf/common.h),
// bytes[N] `struct nf_bytes_N`, user types `struct <type>` (as the name allocator spells it) with
// explicit padding members.
import { assertNever, sizeOf, type IntBits, type Ty } from "../../lang/types.js";

export type CType =
  | { kind: "int"; bits: IntBits } // __u8 .. __u64
  | { kind: "be"; bits: 16 | 32 | 64 } // __be16 .. __be64 (wire order)
  | { kind: "bool" }
  | { kind: "struct"; name: string; size: number; align: number } // `struct <name>`
  | { kind: "ptr"; to: CType }
  | { kind: "opaque"; name: string } // a C type the IR never looks into (`struct nf_hdrs`, `int`)
  | { kind: "void" };

export const C_U8: CType = { kind: "int", bits: 8 };
export const C_U16: CType = { kind: "int", bits: 16 };
export const C_U32: CType = { kind: "int", bits: 32 };
export const C_U64: CType = { kind: "int", bits: 64 };
export const C_BOOL: CType = { kind: "bool" };
export const C_INT: CType = { kind: "opaque", name: "int" };
export const C_VOID: CType = { kind: "void" };
export const C_BE16: CType = { kind: "be", bits: 16 };
export const C_BE32: CType = { kind: "be", bits: 32 };
export const C_IP6: CType = { kind: "struct", name: "nf_ip6", size: 16, align: 4 };
export const C_MAC: CType = { kind: "struct", name: "nf_mac", size: 6, align: 1 };
export const C_FLOW5: CType = { kind: "struct", name: "nf_flow5", size: 16, align: 4 };

export const cInt = (bits: IntBits): CType => ({ kind: "int", bits });
export const ptrTo = (to: CType): CType => ({ kind: "ptr", to });

/** `struct nf_bytes_N { __u8 b[N]; }`: the C spelling of `bytes[N]`. */
export function bytesStruct(len: number): CType {
  return { kind: "struct", name: `nf_bytes_${len}`, size: len, align: 1 };
}

/** The C type of a data type; `tag` gives a user type's struct tag (compiler/names). */
export function cTypeOf(t: Ty, tag: (typeName: string) => string): CType {
  switch (t.kind) {
    case "int":
      return cInt(t.bits);
    case "bool":
      return C_BOOL;
    case "ip4":
      return C_BE32;
    case "ip6":
      return C_IP6;
    case "mac":
      return C_MAC;
    case "bytes":
      return bytesStruct(t.len);
    case "struct":
      return t.name === "flow5"
        ? C_FLOW5
        : { kind: "struct", name: tag(t.name), size: t.size, align: t.align };
    case "ref":
      return ptrTo(cTypeOf(t.inner, tag));
    case "option":
      return ptrTo(cTypeOf(t.inner, tag));
    case "header":
    case "void":
      return C_VOID;
    default:
      return assertNever(t);
  }
}

/** The C spelling of a type (for declarations: `__u32`, `struct nf_ip6`, `__u64 *`). */
export function cName(t: CType): string {
  switch (t.kind) {
    case "int":
      return `__u${t.bits}`;
    case "be":
      return `__be${t.bits}`;
    case "bool":
      return "bool";
    case "struct":
      return `struct ${t.name}`;
    case "ptr":
      return `${cName(t.to)} *`;
    case "opaque":
      return t.name;
    case "void":
      return "void";
    default:
      return assertNever(t);
  }
}

/** `__u32 x`, `__u64 *p`: a declarator. */
export function cDecl(t: CType, name: string): string {
  const n = cName(t);
  return n.endsWith("*") ? `${n}${name}` : `${n} ${name}`;
}

export function cSize(t: CType): number {
  switch (t.kind) {
    case "int":
    case "be":
      return t.bits / 8;
    case "bool":
      return 1;
    case "struct":
      return t.size;
    case "ptr":
      return 8;
    case "opaque":
      return 4;
    case "void":
      return 0;
    default:
      return assertNever(t);
  }
}

/** Value types held by address in C (struct copies, compared with nf_*_eq). */
export function isAggregate(t: CType): boolean {
  return t.kind === "struct";
}

export function cTypeEq(a: CType, b: CType): boolean {
  return cName(a) === cName(b);
}

/** Size of a language data type, via lang/types.ts (re-exported for lowering). */
export const tySize = sizeOf;
