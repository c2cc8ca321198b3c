// Test packets: builder calls joined by `/` (outermost layer first) → TestLayer[]. Known builders
// and their typed fields; layer order eth, vlan*, ipv4|ipv6, tcp|udp|icmp, then payload/hex. A
// packet starting below eth gets `eth()` (and `ipv4()` under a lone tcp/udp/icmp) in front.
import type { Expr } from "../ast.js";
import type { TestLayer, Value } from "../checked.js";
import { diag } from "../diagnostics/catalogue.js";
import { IP4, IP6, MAC, U16, U32, U8, type Ty } from "../types.js";
import type { Ctx } from "./context.js";
import { listNames } from "./context.js";
import { constAt } from "./user-tests-values.js";

type HeaderBuilder = "eth" | "vlan" | "ipv4" | "ipv6" | "tcp" | "udp" | "icmp";

export const BUILDERS: Record<HeaderBuilder, Record<string, Ty>> = {
  eth: { dst: MAC, src: MAC, type: U16 },
  vlan: { tci: U16, type: U16, tpid: U16 },
  ipv4: { src: IP4, dst: IP4, tos: U8, id: U16, frag: U16, ttl: U8, proto: U8, ihl: U8, len: U16, csum: U16 },
  ipv6: { src: IP6, dst: IP6, tc: U8, flow: U32, next: U8, hop: U8, plen: U16 },
  tcp: { sport: U16, dport: U16, seq: U32, ack: U32, off: U8, flags: U8, win: U16, urg: U16, csum: U16 },
  udp: { sport: U16, dport: U16, len: U16, csum: U16 },
  icmp: { type: U8, code: U8, csum: U16 },
};

/** Rank in the layer order: each layer must rank above the one before (vlan may repeat). */
const RANK: Record<TestLayer["kind"], number> = {
  eth: 0,
  vlan: 1,
  ipv4: 2,
  ipv6: 2,
  tcp: 3,
  udp: 3,
  icmp: 3,
  payload: 4,
  hex: 4,
};

function flatten(e: Expr, out: Expr[]): void {
  if (e.kind === "binary" && e.op === "/") {
    flatten(e.left, out);
    flatten(e.right, out);
  } else out.push(e);
}

export function checkPacket(ctx: Ctx, e: Expr): TestLayer[] | undefined {
  const parts: Expr[] = [];
  flatten(e, parts);
  const layers: TestLayer[] = [];
  let ok = true;
  // A packet starting at tcp/udp/icmp takes the implied ipv4's `src` / `dst` too: `udp(src = 10.0.0.1, dport = 53)`.
  const head = parts[0];
  const lone = head?.kind === "call" && ["tcp", "udp", "icmp"].includes(head.callee.name);
  let implied: Record<string, Value> = {};
  for (const p of parts) {
    const l = checkLayer(ctx, p, lone && p === head);
    if (l && lone && p === head && "fields" in l) {
      const { src, dst, ...rest } = l.fields;
      implied = { ...(src ? { src } : {}), ...(dst ? { dst } : {}) };
      l.fields = rest;
    }
    if (!l) {
      ok = false;
      continue;
    }
    const prev = layers[layers.length - 1];
    if (prev && (RANK[l.kind] < RANK[prev.kind] || (RANK[l.kind] === RANK[prev.kind] && l.kind !== "vlan"))) {
      ctx.report(diag("NF3021", p.span, { what: `\`${l.kind}\` cannot follow \`${prev.kind}\`` }));
      ok = false;
      continue;
    }
    layers.push(l);
  }
  if (!ok || layers.length === 0) return undefined;
  const first = layers[0]!;
  if (first.kind === "hex") return layers;
  const prefix: TestLayer[] = [];
  if (first.kind !== "eth") prefix.push({ kind: "eth", fields: {} });
  if (RANK[first.kind] >= 3) prefix.push({ kind: "ipv4", fields: implied });
  return [...prefix, ...layers];
}

function checkLayer(ctx: Ctx, e: Expr, lone: boolean): TestLayer | undefined {
  if (e.kind !== "call") {
    ctx.report(diag("NF3021", e.span, { what: "expected a builder call such as `udp(dport = 53)`" }));
    return undefined;
  }
  const name = e.callee.name;
  if (name === "hex") {
    const a = e.args[0];
    const text = a?.value.kind === "string" && e.args.length === 1 && !a.name ? a.value.value : undefined;
    const clean = text?.replace(/[\s:]/g, "");
    if (clean === undefined || !/^([0-9a-fA-F]{2})+$/.test(clean)) {
      ctx.report(diag("NF3021", e.span, { what: "`hex` takes one string of hex byte pairs" }));
      return undefined;
    }
    return { kind: "hex", bytes: clean.match(/../g)!.map((x) => parseInt(x, 16)) };
  }
  if (name === "text") {
    // the string's bytes as payload: `udp(dport = 11211) / text("get k\r\n")`
    const a = e.args[0];
    const text = a?.value.kind === "string" && e.args.length === 1 && !a.name ? a.value.value : undefined;
    const bytes = text === undefined ? undefined : [...text].map((c) => c.codePointAt(0)!);
    if (bytes === undefined || bytes.some((b) => b > 255)) {
      ctx.report(diag("NF3021", e.span, { what: "`text` takes one string of characters up to \\xff" }));
      return undefined;
    }
    return { kind: "hex", bytes };
  }
  if (name === "payload") {
    const a = e.args[0];
    const len = a && e.args.length === 1 && a.name?.name === "len" ? constAt(ctx, a.value, U16) : undefined;
    if (!a || e.args.length !== 1 || a.name?.name !== "len") {
      ctx.report(diag("NF3021", e.span, { what: "`payload` takes `len = N`" }));
      return undefined;
    }
    return len?.kind === "int" ? { kind: "payload", len: Number(len.v) } : undefined;
  }
  if (!(name in BUILDERS)) {
    ctx.report(diag("NF3021", e.callee.span, { what: `unknown builder \`${name}\`` }));
    return undefined;
  }
  const kind = name as HeaderBuilder;
  const schema = lone ? { ...BUILDERS[kind], src: IP4, dst: IP4 } : BUILDERS[kind];
  const fields: Record<string, Value> = {};
  let ok = true;
  for (const a of e.args) {
    if (!a.name) {
      ctx.report(diag("NF3021", a.span, { what: "builder arguments are named: `field = value`" }));
      ok = false;
      continue;
    }
    const ty = schema[a.name.name];
    if (!ty) {
      ctx.report(
        diag("NF3022", a.name.span, {
          field: a.name.name,
          builder: kind,
          known: listNames(Object.keys(schema)),
        }),
      );
      ok = false;
      continue;
    }
    const v = constAt(ctx, a.value, ty);
    if (v) fields[a.name.name] = v;
    else ok = false;
  }
  return ok ? { kind, fields } : undefined;
}
