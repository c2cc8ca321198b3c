// Parse-set minimisation: nf_parse gets exactly the headers the generated code reads (header
// pointers and fields in the IR, checksum-update targets, flow5's ports) plus their prerequisites
// (lang/headers.ts HEADER_PREREQS); user-header parse extensions nobody reads are dropped. Two
// refinements say what the program can observe (ip-context.ts): L4 headers read only where IPv4
// (IPv6) is known present need not be looked for below the other IP version (`l4_v4_only` /
// `l4_v6_only`), and the IPv6 extension-header walk runs only when something after it is read
// (an L4 header below IPv6, `ipv6.proto`, a parse extension after ipv6: `ipv6_ext`). A user
// header read but parsed by no extension is declared all the same: it is never present.
import { PKT } from "../names/allocator.js";
import { BUILTIN_HEADERS, HEADER_PREREQS } from "../../lang/headers.js";
import { bin } from "../ir/build.js";
import { C_BOOL } from "../ir/ctype.js";
import type { IrParseExt } from "../ir/ir.js";
import { exprReads, knownFor, stmtReads, type Reads } from "./ip-context.js";
import type { Pass } from "./pass.js";

const size = (r: Reads): number => [...r.values()].reduce((n, s) => n + s.size, r.size);

export const parseSet: Pass = {
  name: "parse-set",
  why: "parse only the headers the program reads, below the IP versions it reads them under: every unparsed header is work and verifier paths saved",
  run(ir) {
    const reads: Reads = new Map();
    stmtReads(ir.handler.body, new Set(), reads);
    // user headers read, then what their extensions read, under the IP versions the user
    // header is read under (to a fixpoint: a user header after a user header)
    let exts: IrParseExt[] = [];
    for (let before = -1; before !== size(reads);) {
      before = size(reads);
      exts = ir.handler.parseExts.filter((x) => (reads.get(x.header)?.size ?? 0) > 0);
      for (const x of exts) {
        const known = knownFor(reads.get(x.header)!);
        exprReads(bin("&&", x.guard, x.cond, C_BOOL, x.span), known, reads);
        exprReads(x.start, new Set([...known, ...(x.guard.kind === "hdr" ? [x.guard.header] : [])]), reads);
      }
    }
    const used = new Set([...reads.keys()].filter((k) => !k.startsWith(`${PKT}.`)));
    if (reads.has(`${PKT}.l4proto`)) used.add("ipv6");
    for (const h of [...used]) for (const p of HEADER_PREREQS[h] ?? []) used.add(p);
    const parse = BUILTIN_HEADERS.map((h) => h.name).filter((n) => used.has(n));
    // the IP versions L4 is read under (icmp exists below IPv4 only, icmpv6 below IPv6 only)
    const l4 = new Set([...(reads.get("tcp") ?? []), ...(reads.get("udp") ?? [])]);
    if (reads.has("icmp")) l4.add("v4");
    if (reads.has("icmpv6")) l4.add("v6");
    const l4v6 = l4.has("v6");
    if (l4.size > 0 && !l4.has("v6")) parse.push("l4_v4_only");
    if (l4.size > 0 && !l4.has("v4")) parse.push("l4_v6_only");
    const afterV6 = exts.some((x) => x.guard.kind === "hdr" && x.guard.header === "ipv6");
    if (!l4v6 && used.has("ipv6") && (reads.has(`${PKT}.l4proto`) || afterV6)) parse.push("ipv6_ext");
    const userHeaders = ir.handler.userHeaders.filter((u) => reads.has(u.header));
    return { ...ir, handler: { ...ir.handler, parse, parseExts: exts, userHeaders } };
  },
};
