// Typed text <-> bytes for the control plane, driven by the manifest's layouts (never by the
// source): a key or value is parsed from the language's literal forms and printed back the same
// way. Literal decoding is the lexer's (lang/syntax/literals.ts), integer byte order the
// interpreter's (lang/interp/layout.ts readUint/writeUint); this file only maps layouts to forms.
//   scalar layouts (one field): `10.0.0.1`, `2001:db8::1`, `aa:bb:cc:dd:ee:ff`, `42`, `0x2a`, `true`
//   lpm keys (prefixlen + addr): `10.0.0.0/8`, `2001:db8::/32` (an address alone is a full prefix)
//   flow5: `udp 10.0.0.1:53 -> 10.0.0.2:1234` (proto tcp, udp, icmp or a number)
//   structs: `packets=1,bytes=2` or `{"packets":1,"bytes":2}`; missing fields are zero
import {
  decodeInt,
  decodeIp4,
  decodeIp6,
  decodeMac,
  decodePrefixLen,
  splitPrefix,
} from "../../lang/syntax/literals.js";
import { readUint, writeUint } from "../../lang/interp/layout.js";
import type { Layout, LayoutField } from "../ir/ir.js";
import { deployFail } from "./errors.js";

const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };

const isLpmKey = (l: Layout): boolean => l.fields[0]?.name === "prefixlen" && l.fields.length === 2;
const dataFields = (l: Layout): LayoutField[] => l.fields.filter((f) => f.type !== "pad");
const isFlow5 = (l: Layout): boolean =>
  dataFields(l)
    .map((f) => f.name)
    .join(",") === "src,dst,sport,dport,proto";

/** The form a layout is written in, for help lines ("expected ..."). */
export function expectedForm(l: Layout): string {
  if (isLpmKey(l))
    return l.fields[1]!.type === "ip6"
      ? "an IPv6 prefix such as `2001:db8::/32`"
      : "an IPv4 prefix such as `10.0.0.0/8`";
  if (isFlow5(l)) return "a flow such as `udp 10.0.0.1:53 -> 10.0.0.2:1234`";
  const fs = dataFields(l);
  if (fs.length === 1) return scalarForm(fs[0]!.type);
  return `fields ${fs.map((f) => `${f.name}=<${f.type}>`).join(",")} (or JSON)`;
}

function scalarForm(type: string): string {
  if (type === "ip4") return "an IPv4 address such as `10.0.0.1`";
  if (type === "ip6") return "an IPv6 address such as `2001:db8::1`";
  if (type === "mac") return "a MAC address such as `aa:bb:cc:dd:ee:ff`";
  if (type === "bool") return "`true` or `false`";
  if (type === "flow5") return "a flow such as `udp 10.0.0.1:53 -> 10.0.0.2:1234`";
  const bytes = /^bytes\[(\d+)\]$/.exec(type);
  if (bytes) return `${bytes[1]} bytes as hex such as \`0x${"00".repeat(Number(bytes[1]))}\``;
  return `a \`${type}\` integer such as \`42\` or \`0x2a\``;
}

/** Parses `text` for a value of field type `type` (`size` bytes) into `out` at `off`. */
function parseScalar(
  f: LayoutField,
  text: string,
  what: string,
  out: Uint8Array,
  expected = scalarForm(f.type),
  shown = text,
): void {
  const bad = (why: string): never => deployFail("NF6010", { what, text: shown, expected, why });
  const t = text.trim();
  if (f.type === "ip4" || f.type === "ip6" || f.type === "mac") {
    const d = f.type === "ip4" ? decodeIp4(t) : f.type === "ip6" ? decodeIp6(t) : decodeMac(t);
    if (!d.ok) bad(d.reason);
    else out.set(d.value, f.offset);
    return;
  }
  if (f.type === "bool") {
    if (t !== "true" && t !== "false" && t !== "1" && t !== "0") bad("not a bool");
    out[f.offset] = t === "true" || t === "1" ? 1 : 0;
    return;
  }
  if (f.type === "flow5") {
    out.set(parseFlow5(t, what), f.offset);
    return;
  }
  const bytes = /^bytes\[(\d+)\]$/.exec(f.type);
  if (bytes) {
    const hex = t.replace(/^0x/i, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(hex) || hex.length !== 2 * f.size)
      bad(`it is not ${f.size} bytes of hex`);
    out.set(Buffer.from(hex, "hex"), f.offset);
    return;
  }
  if (!/^u(8|16|32|64)$/.test(f.type)) bad(`fields of type \`${f.type}\` cannot be written from text`);
  const n = decodeInt(t);
  if (!n.ok) {
    if (n.tooLarge)
      deployFail("NF6011", { what, text, type: f.type, max: String((1n << BigInt(8 * f.size)) - 1n) });
    bad(n.reason);
  } else {
    const max = (1n << BigInt(8 * f.size)) - 1n;
    if (n.value > max) deployFail("NF6011", { what, text, type: f.type, max: String(max) });
    writeUint(out, f.offset, f.size, n.value, f.order === "network");
  }
}

function formatScalar(f: LayoutField, b: Uint8Array): string {
  const v = b.subarray(f.offset, f.offset + f.size);
  if (f.type === "ip4") return [...v].join(".");
  if (f.type === "ip6") return formatIp6(v);
  if (f.type === "mac") return [...v].map((x) => x.toString(16).padStart(2, "0")).join(":");
  if (f.type === "bool") return v[0] ? "true" : "false";
  if (f.type === "flow5") return formatFlow5(v);
  if (/^u(8|16|32|64)$/.test(f.type)) return readUint(b, f.offset, f.size, f.order === "network").toString();
  return `0x${Buffer.from(v).toString("hex")}`;
}

function formatIp6(v: Uint8Array): string {
  if (v.subarray(0, 10).every((x) => x === 0) && v[10] === 0xff && v[11] === 0xff)
    return `::ffff:${[...v.subarray(12)].join(".")}`;
  const groups = Array.from({ length: 8 }, (_, i) => (v[2 * i]! << 8) | v[2 * i + 1]!);
  // RFC 5952: the longest run (≥ 2) of zero groups becomes `::`.
  let best = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best[1]! && j - i >= 2) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best[0]! < 0) return hex.join(":");
  return `${hex.slice(0, best[0]).join(":")}::${hex.slice(best[0]! + best[1]!).join(":")}`;
}

const FLOW5_FIELDS: LayoutField[] = [
  { name: "src", offset: 0, size: 4, type: "ip4", order: "network" },
  { name: "dst", offset: 4, size: 4, type: "ip4", order: "network" },
  { name: "sport", offset: 8, size: 2, type: "u16", order: "network" },
  { name: "dport", offset: 10, size: 2, type: "u16", order: "network" },
  { name: "proto", offset: 12, size: 1, type: "u8", order: "host" },
];

function parseFlow5(text: string, what: string): Uint8Array {
  const m = /^(\S+)\s+([0-9.]+):(\S+)\s*->\s*([0-9.]+):(\S+)$/.exec(text.trim());
  const expected = scalarForm("flow5");
  if (!m)
    return deployFail("NF6010", { what, text, expected, why: "it is not `PROTO SRC:SPORT -> DST:DPORT`" });
  const out = new Uint8Array(16);
  const proto = PROTOS[m[1]!.toLowerCase()]?.toString() ?? m[1]!;
  const parts = [m[2]!, m[4]!, m[3]!, m[5]!, proto];
  const order = [0, 1, 2, 3, 4];
  for (const i of order) parseScalar(FLOW5_FIELDS[i]!, parts[i]!, `${what} ${FLOW5_FIELDS[i]!.name}`, out);
  return out;
}

function formatFlow5(v: Uint8Array): string {
  const f = (i: number): string => formatScalar(FLOW5_FIELDS[i]!, v);
  const protoNum = Number(f(4));
  const proto = Object.entries(PROTOS).find(([, n]) => n === protoNum)?.[0] ?? String(protoNum);
  return `${proto} ${f(0)}:${f(2)} -> ${f(1)}:${f(3)}`;
}

/** Bytes of `text` for layout `l` (a key or value of a manifest map); `out` (zeroed here) saves
 *  an allocation per entry when many are parsed. */
export function parseLayout(l: Layout, text: string, what: string, out = new Uint8Array(l.size)): Uint8Array {
  out.fill(0);
  if (isLpmKey(l)) {
    const addr = l.fields[1]!;
    const max = addr.size * 8;
    const { addr: a, len } = splitPrefix(text.trim());
    parseScalar(addr, a, what, out, expectedForm(l), text);
    const n = len === undefined ? { ok: true as const, value: max } : decodePrefixLen(len, max);
    if (!n.ok)
      deployFail("NF6010", { what, text, expected: expectedForm(l), why: `the prefix length ${n.reason}` });
    else writeUint(out, 0, 4, BigInt(n.value), false);
    return out;
  }
  if (isFlow5(l)) {
    out.set(parseFlow5(text, what).subarray(0, Math.min(16, l.size)));
    return out;
  }
  const fs = dataFields(l);
  if (fs.length === 1) {
    parseScalar(fs[0]!, text, what, out);
    return out;
  }
  for (const [name, v] of structParts(text, l, what)) {
    const f = fs.find((x) => x.name === name);
    if (!f)
      deployFail("NF6010", { what, text, expected: expectedForm(l), why: `there is no field \`${name}\`` });
    else parseScalar(f, v, `${what} field \`${name}\``, out);
  }
  return out;
}

function structParts(text: string, l: Layout, what: string): Array<[string, string]> {
  const t = text.trim();
  if (t.startsWith("{")) {
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch (e) {
      deployFail("NF6010", {
        what,
        text,
        expected: expectedForm(l),
        why: `not JSON: ${(e as Error).message}`,
      });
    }
    if (!o || typeof o !== "object" || Array.isArray(o))
      deployFail("NF6010", { what, text, expected: expectedForm(l), why: "not a JSON object" });
    return Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
  }
  return t.split(",").map((p) => {
    const i = p.indexOf("=");
    if (i <= 0)
      deployFail("NF6010", { what, text, expected: expectedForm(l), why: `\`${p}\` is not NAME=VALUE` });
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
  });
}

/** The text of bytes `b` in layout `l` (the same forms parseLayout reads). */
export function formatLayout(l: Layout, b: Uint8Array): string {
  if (isLpmKey(l)) return `${formatScalar(l.fields[1]!, b)}/${readUint(b, 0, 4, false)}`;
  if (isFlow5(l)) return formatFlow5(b);
  const fs = dataFields(l);
  if (fs.length === 1) return formatScalar(fs[0]!, b);
  return fs.map((f) => `${f.name}=${formatScalar(f, b)}`).join(",");
}

/** A JSON value for bytes `b` in layout `l`: numbers as numbers when exact, else strings. */
export function jsonLayout(l: Layout, b: Uint8Array): unknown {
  const fs = dataFields(l);
  if (isLpmKey(l) || isFlow5(l) || fs.length === 1) {
    const s = formatLayout(l, b);
    return /^\d+$/.test(s) && BigInt(s) <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(s)
      : s === "true"
        ? true
        : s === "false"
          ? false
          : s;
  }
  return Object.fromEntries(fs.map((f) => [f.name, jsonLayout({ size: l.size, ctype: "", fields: [f] }, b)]));
}

/** Sums per-CPU copies of a value field by field (integers wrap at their width; others: CPU 0's). */
export function sumLayout(l: Layout, shards: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(shards[0] ?? new Uint8Array(l.size));
  for (const f of dataFields(l)) {
    if (!/^u(8|16|32|64)$/.test(f.type)) continue;
    let sum = 0n;
    for (const s of shards) sum += readUint(s, f.offset, f.size, f.order === "network");
    writeUint(out, f.offset, f.size, sum, f.order === "network");
  }
  return out;
}
