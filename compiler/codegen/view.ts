// The view model: plain data the template renders. Everything the C file says is decided here
// (and in the IR); the template only lays it out.
import { basename } from "node:path";
import { cDecl, cName } from "../ir/ctype.js";
import type { IrProgram } from "../ir/ir.js";
import { PKT } from "../names/allocator.js";
import { printExpr } from "./print-expr.js";
import { StmtPrinter } from "./print-stmt.js";

export interface View {
  file: string;
  nf: string;
  includes: string[];
  structs: { name: string; fields: string[]; attr: string }[];
  configs: string[];
  maps: { name: string; lines: string[]; comment: string }[];
  fn: { section: string; signature: string; lines: string[] };
}

const NF_H: Record<string, string> = {
  eth: "NF_H_ETH",
  vlan: "NF_H_VLAN",
  vlan_inner: "NF_H_VLAN_INNER",
  ipv4: "NF_H_IPV4",
  ipv6: "NF_H_IPV6",
  tcp: "NF_H_TCP",
  udp: "NF_H_UDP",
  icmp: "NF_H_ICMP",
  icmpv6: "NF_H_ICMPV6",
  ipv6_ext: "NF_H_IPV6_EXT",
  l4_v4_only: "NF_H_L4_V4_ONLY",
  l4_v6_only: "NF_H_L4_V6_ONLY",
};

export function buildView(ir: IrProgram): View {
  const file = basename(ir.file);
  const h = ir.handler;
  const p = new StmtPrinter(file);
  const xdp = h.section === "xdp";
  const data = "(void *)(long)ctx->data";
  const dataEnd = "(void *)(long)ctx->data_end";
  const parseCall = `nf_parse(&${PKT}, ${data}, ${dataEnd}, ${h.parse.map((x) => NF_H[x]).join(" | ")});`;
  if (h.parse.length > 0) p.lines.push(`\tstruct nf_hdrs ${PKT};`, "", `\t${parseCall}`);
  for (const u of h.userHeaders) p.lines.push(`\tstruct ${u.tag} *${u.cvar} = NULL;`);
  const exts = (tab: string): string[] =>
    h.parseExts.flatMap((x) => [
      `${tab}if (!${x.cvar} && ${printExpr(x.guard)} && ${printExpr(x.cond)}) {`,
      `${tab}\tstruct ${x.tag} *p = ${printExpr(x.start)};`,
      "",
      `${tab}\tif ((void *)(p + 1) <= ${PKT}.data_end)`,
      `${tab}\t\t${x.cvar} = p;`,
      `${tab}}`,
    ]);
  for (const x of h.parseExts) {
    p.lines.push(`\t/* ${file}:${x.span.line}:${x.span.col} */`);
    p.lines.push(...exts("\t").slice(h.parseExts.indexOf(x) * 6, h.parseExts.indexOf(x) * 6 + 6));
  }
  if (h.reparse)
    p.lines.push(
      "",
      ...reparseMacro(
        parseCall,
        h.userHeaders.map((u) => u.cvar),
        exts("\t"),
      ),
    );
  if (p.lines.length > 0) p.lines.push("");
  p.block(h.prologue, 1);
  if (h.prologue.length > 0) p.lines.push("");
  p.block(h.body, 1);
  return {
    file,
    nf: ir.nf,
    includes: [...(xdp ? ['"nf/nf.h"'] : ["<linux/pkt_cls.h>", '"nf/nf.h"']), ...(ir.includes ?? [])],
    structs: ir.structs.map((s) => ({
      name: s.name,
      fields: s.fields.map((f) => `${f.decl};`),
      attr: s.packed ? " __attribute__((packed))" : "",
    })),
    configs: ir.configs.map((c) => `const volatile ${cDecl(c.ty, c.symbol)} = ${printExpr(c.init)};`),
    maps: ir.maps.map((m) => ({
      name: m.symbol,
      comment: `${file}:${m.span.line}:${m.span.col}${m.source ? ` ${m.source}` : m.name !== m.symbol ? ` \`${m.name}\`` : ""}${m.kernelName !== m.symbol ? `; kernel name \`${m.kernelName}\`` : ""}`,
      lines: [
        `__uint(type, ${m.mapType});`,
        // a ring buffer has no key or value (the kernel refuses sizes for them)
        ...(m.mapType === "BPF_MAP_TYPE_RINGBUF"
          ? []
          : [`__type(key, ${cName(m.key)});`, `__type(value, ${cName(m.value)});`]),
        `__uint(max_entries, ${m.maxEntriesC ?? m.maxEntries});`,
        ...(m.flags.length > 0 ? [`__uint(map_flags, ${m.flags.join(" | ")});`] : []),
      ],
    })),
    fn: { section: h.section, signature: `int ${h.name}(${h.ctxType} *ctx)`, lines: p.lines },
  };
}

/** `NF_REPARSE()`: after the packet changed (payload writes, resizes), the handler's parse again:
 *  nf_parse, user header pointers reset, the parse extensions. A macro, so it reads the handler's
 *  own locals. */
function reparseMacro(parseCall: string, userVars: string[], exts: string[]): string[] {
  const body = [`\t${parseCall}`, ...userVars.map((u) => `\t${u} = NULL;`), ...exts.filter((l) => l !== "")];
  return ["#define NF_REPARSE() do { \\", ...body.map((l) => `\t${l} \\`), "\t} while (0)"];
}
