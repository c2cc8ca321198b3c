// Parse-set minimisation: nf_parse gets exactly the headers the generated code reads (header
// pointers and fields in the IR, checksum-update targets, flow5's ports) plus their prerequisites
// (lang/headers.ts HEADER_PREREQS); user-header parse extensions nobody reads are dropped.
import { BUILTIN_HEADERS, HEADER_PREREQS } from "../../lang/headers.js";
import type { IExpr, IrParseExt } from "../ir/ir.js";
import { mapExpr, visit } from "../ir/walk.js";
import type { Pass } from "./pass.js";

function headersIn(e: IExpr, into: Set<string>): void {
  mapExpr(e, (x) => {
    if (x.kind === "hdr" || x.kind === "pkt") into.add(x.header);
    if (x.kind === "var" && x.name === "h.l4proto") into.add("ipv6");
    return x;
  });
}

export const parseSet: Pass = {
  name: "parse-set",
  why: "parse only the headers the program reads: every unparsed header is work and verifier paths saved",
  run(ir) {
    const used = new Set<string>();
    visit(ir.handler.body, () => {}, (e) => headersIn(e, used));
    // user headers needed, then the headers their extensions start from (to a fixpoint)
    let exts: IrParseExt[] = [];
    for (let changed = true; changed; ) {
      changed = false;
      exts = ir.handler.parseExts.filter((x) => used.has(x.header));
      for (const x of exts) {
        const before = used.size;
        for (const e of [x.guard, x.cond, x.start]) headersIn(e, used);
        if (used.size !== before) changed = true;
      }
    }
    for (const h of [...used]) for (const p of HEADER_PREREQS[h] ?? []) used.add(p);
    const parse = BUILTIN_HEADERS.map((h) => h.name).filter((n) => used.has(n));
    return { ...ir, handler: { ...ir.handler, parse, parseExts: exts } };
  },
};
