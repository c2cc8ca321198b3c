// Language data types → C struct definitions and control-plane layouts. User `type`s become
// `struct <type>` (tag and members as compiler/names spells them) with explicit `__padN` members so
// the C layout is exactly lang/types.ts's;
// `bytes[N]` becomes `struct nf_bytes_N { __u8 b[N]; }`. Layouts feed the manifest.
import { assertNever, sizeOf, tyName, type Ty } from "../../lang/types.js";
import { cDecl } from "../ir/ctype.js";
import { member } from "../names/allocator.js";
import type { Layout, LayoutField } from "../ir/ir.js";
import type { Lowerer } from "./context.js";

/** Registers the C structs `t` needs (dependencies first, so emission order is declaration-safe). */
export function registerTy(cx: Lowerer, t: Ty): void {
  switch (t.kind) {
    case "bytes": {
      const name = `nf_bytes_${t.len}`;
      if (!cx.structs.has(name)) {
        cx.structs.set(name, {
          name,
          fields: [{ name: "b", decl: `__u8 b[${t.len}]` }],
          packed: false,
          size: t.len,
          span: cx.prog.span,
        });
      }
      return;
    }
    case "struct": {
      if (t.name === "flow5") return; // struct nf_flow5 lives in nf/common.h
      const name = cx.typeTag(t.name);
      if (cx.structs.has(name)) return;
      for (const f of t.fields) registerTy(cx, f.ty);
      const fields: { name: string; decl: string }[] = [];
      let at = 0;
      let pad = 0;
      for (const f of t.fields) {
        if (f.offset > at) fields.push({ name: `__pad${pad}`, decl: `__u8 __pad${pad++}[${f.offset - at}]` });
        fields.push({ name: member(f.name), decl: cDecl(cx.cty(f.ty), member(f.name)) });
        at = f.offset + sizeOf(f.ty);
      }
      if (t.size > at) fields.push({ name: `__pad${pad}`, decl: `__u8 __pad${pad}[${t.size - at}]` });
      cx.structs.set(name, { name, fields, packed: false, size: t.size, span: cx.prog.span });
      return;
    }
    case "ref":
    case "option":
      return registerTy(cx, t.inner);
    case "int":
    case "bool":
    case "ip4":
    case "ip6":
    case "mac":
    case "header":
    case "void":
      return;
    default:
      return assertNever(t);
  }
}

/** Byte order of a scalar as stored in maps and packets. */
function orderOf(t: Ty): LayoutField["order"] {
  switch (t.kind) {
    case "ip4":
    case "ip6":
      return "network";
    case "mac":
    case "bytes":
      return "bytes";
    default:
      return "host";
  }
}

/** The control-plane layout of a key or value type. Scalars are one field named `fieldName`. */
export function layoutOf(t: Ty, ctype: string, fieldName: string): Layout {
  if (t.kind === "struct") {
    const fields: LayoutField[] = [];
    let at = 0;
    let pad = 0;
    for (const f of t.fields) {
      if (f.offset > at)
        fields.push({ name: `_pad${pad++}`, offset: at, size: f.offset - at, type: "pad", order: "bytes" });
      // flow5 stores its ports as they are on the wire (nf/common.h).
      const order =
        t.name === "flow5" && (f.name === "sport" || f.name === "dport") ? "network" : orderOf(f.ty);
      fields.push({ name: f.name, offset: f.offset, size: sizeOf(f.ty), type: tyName(f.ty), order });
      at = f.offset + sizeOf(f.ty);
    }
    if (t.size > at)
      fields.push({ name: `_pad${pad}`, offset: at, size: t.size - at, type: "pad", order: "bytes" });
    return { size: t.size, ctype, fields };
  }
  const size = sizeOf(t);
  return { size, ctype, fields: [{ name: fieldName, offset: 0, size, type: tyName(t), order: orderOf(t) }] };
}
