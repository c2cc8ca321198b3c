// Identifiers. Besides plain names the generator draws adversarial ones: C keywords, kernel and
// libbpf symbols, the stdlib's nf_/NF_ symbols (read from stdlib/include), the shapes of names nfc
// itself generates (ctx, h, cnt, key_0, cfg_<x>, <map>_cells, hdr_<x>, <nf>_prog, ...), names
// sharing a long prefix (kernel map names are cut at 15 characters) and very long names. Every
// name in one program is distinct, so scoping in the generator stays simple.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../compiler/toolchain/tools.js";
import { BLOCKS } from "../../../lang/blocks/index.js";
import { BUILTIN_HEADERS } from "../../../lang/headers.js";
import { BUILTIN_TYPES } from "../../../lang/check/resolve-types.js";
import { KEYWORDS } from "../../../lang/syntax/tokens.js";
import type { Rand } from "./rand.js";

/** Names an nf program cannot declare (keywords, built-in types, headers and functions). */
export const NF_RESERVED = new Set<string>([
  ...KEYWORDS,
  ...Object.keys(BUILTIN_TYPES),
  ...BUILTIN_HEADERS.map((h) => h.name),
  ...BLOCKS.map((b) => b.name),
  ...["now_ns", "pkt_len", "cpu", "flow5", "min", "max", "hash", "set_tstamp", "bytes", "_"],
]);

const C_KEYWORDS = [
  "auto",
  "case",
  "char",
  "continue",
  "default",
  "do",
  "double",
  "enum",
  "extern",
  "float",
  "goto",
  "int",
  "long",
  "register",
  "restrict",
  "return",
  "short",
  "signed",
  "sizeof",
  "static",
  "struct",
  "switch",
  "typedef",
  "union",
  "unsigned",
  "void",
  "volatile",
  "while",
  "inline",
  "asm",
  "typeof",
  "_Bool",
  "_Static_assert",
  "__attribute__",
  "__builtin_memcpy",
  "__builtin_memset",
  "offsetof",
];
const KERNEL_SYMBOLS = [
  "NULL",
  "XDP_PASS",
  "XDP_DROP",
  "XDP_TX",
  "XDP_REDIRECT",
  "XDP_ABORTED",
  "TC_ACT_OK",
  "TC_ACT_SHOT",
  "__u8",
  "__u16",
  "__u32",
  "__u64",
  "__be16",
  "__be32",
  "__s64",
  "LICENSE",
  "SEC",
  "BPF_ANY",
  "BPF_MAP_TYPE_HASH",
  "bpf_map_lookup_elem",
  "bpf_map_update_elem",
  "bpf_map_delete_elem",
  "bpf_ktime_get_ns",
  "bpf_redirect",
  "bpf_get_smp_processor_id",
  "bpf_loop",
  "bpf_spin_lock",
  "xdp_md",
  "__sk_buff",
  "ethhdr",
  "iphdr",
  "ipv6hdr",
  "tcphdr",
  "udphdr",
  "data",
  "data_end",
  "memset",
  "memcpy",
  "size_t",
  "uint32_t",
  "main",
  "errno",
  "likely",
  "barrier",
  "__always_inline",
  "__uint",
  "__type",
  "maps",
  "license",
  "value",
  "key",
  "bpf_htons",
  "bpf_ntohl",
];
/** nfc's own generated names (fixed shapes; per-program shapes come from derivedNames). */
const GENERATED = [
  "ctx",
  "h",
  "cnt",
  "cnt_key",
  "key_0",
  "key_1",
  "tmp_0",
  "tmp_1",
  "val_0",
  "val_5",
  "f_2",
  "flow_1",
  "hash_2",
  "counters",
  "_pad0",
  "_pad1",
  "hdr_eth",
  "hdr_ipv4",
  "hdr_tcp",
  "v",
  "i",
  "n",
  "r",
  "k",
  "idx",
  "cell",
  "row",
  "ret",
  "err",
  "off",
  "p",
  "len",
  "out",
  "res",
  "zero",
];

function stdlibSymbols(): string[] {
  const dir = join(packageRoot(), "stdlib", "include", "nf");
  const out = new Set<string>();
  for (const f of readdirSync(dir))
    for (const m of readFileSync(join(dir, f), "utf8").matchAll(/\b(?:nf|NF)_[A-Za-z0-9_]+/g)) out.add(m[0]);
  return [...out].sort();
}

/** C library functions clang knows without a declaration (implicit builtins): a global named like
 *  one is "redefinition of 'memcmp' as different kind of symbol" unless the allocator escapes it. */
const LIBC_BUILTINS = [
  "memmove",
  "memcmp",
  "strlen",
  "strcpy",
  "strcmp",
  "abs",
  "labs",
  "printf",
  "malloc",
  "calloc",
  "free",
  "exit",
  "abort",
  "bcopy",
  "bzero",
  "alloca",
];

const POOL = [
  ...new Set([...C_KEYWORDS, ...KERNEL_SYMBOLS, ...LIBC_BUILTINS, ...GENERATED, ...stdlibSymbols()]),
].filter((n) => !NF_RESERVED.has(n));
const PLAIN = [
  "flows",
  "blocked",
  "seen",
  "stats",
  "hits",
  "limit",
  "port",
  "src",
  "peer",
  "total",
  "q",
  "slot",
  "rate",
  "x",
  "y",
  "z",
];

export type NameClass = "plain" | "adversarial" | "derived" | "prefix15" | "long";

export class Names {
  private readonly used = new Set<string>();
  /** Globals so far, for the derived shapes (cfg_<x>, <map>_cells, ...). */
  readonly globals: { name: string; role: string }[] = [];
  readonly classes = new Map<NameClass, number>();
  nf = "";
  private prefix = "";

  constructor(
    private readonly r: Rand,
    private readonly adversarial: boolean,
    /** nf keywords as struct/header field names (`type S { pass: u8 }`). */
    private readonly keywordFields: boolean,
    /** Names sharing a 15-character prefix (kernel map names are cut there). */
    private readonly prefix15: boolean,
  ) {}

  private ok(n: string): boolean {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !NF_RESERVED.has(n) && !this.used.has(n);
  }

  private take(n: string, cls: NameClass): string {
    this.used.add(n);
    this.classes.set(cls, (this.classes.get(cls) ?? 0) + 1);
    return n;
  }

  /** Shapes nfc derives from this program's own names. */
  private derived(): string[] {
    const out = [`${this.nf}_prog`, `${this.nf}_counters`];
    for (const g of this.globals) {
      out.push(`hdr_${g.name}`, `${this.nf}_${g.name}`, `${g.name}_val`, `${g.name}_key`);
      if (g.role === "config") out.push(`cfg_${g.name}`);
      if (g.role === "state")
        out.push(`${g.name}_cells`, `${g.name}_samp`, `${this.nf}_${g.name}_cells`, `${g.name}_0`);
      if (g.role === "type") out.push(`struct_${g.name}`, `${g.name}_t`);
    }
    return out;
  }

  /** A fresh name; `role` is recorded for globals (derived shapes use it). */
  fresh(role: "local" | "config" | "const" | "state" | "type" | "header" | "counter" | "field"): string {
    for (let tries = 0; tries < 20; tries++) {
      const adv = this.adversarial ? 1 : 0;
      const cls = this.r.weighted<NameClass>([
        [3, "plain"],
        [4 * adv, "adversarial"],
        [2 * adv, "derived"],
        [this.prefix15 ? 1 : 0, "prefix15"],
        [0.2 * adv, "long"],
      ]);
      let n: string;
      if (cls === "adversarial") n = this.r.pick(POOL);
      else if (cls === "derived") n = this.r.pick(this.derived());
      else if (cls === "prefix15") {
        if (!this.prefix) this.prefix = "shared_prefix_" + this.r.pick(["by_source", "fifteen_chars", "x"]);
        n = `${this.prefix}_${this.r.pick(["v4", "v6", "a", "b", String(this.r.int(0, 99))])}`;
      } else if (cls === "long") n = "n" + "long_name_".repeat(this.r.int(4, 20)) + this.r.int(0, 9);
      else n = `${this.r.pick(PLAIN)}${this.r.int(0, 999)}`;
      if (this.ok(n)) {
        if (role !== "local" && role !== "field") this.globals.push({ name: n, role });
        return this.take(n, cls);
      }
    }
    let i = this.used.size;
    while (!this.ok(`n${i}`)) i++;
    return this.take(`n${i}`, "plain");
  }

  /** A field name: any of the above, or an nf keyword (field positions accept keywords). Unique
   *  only within its own struct/header (`seen`). */
  field(seen: Set<string>): string {
    for (let tries = 0; tries < 20; tries++) {
      const n =
        this.adversarial && this.keywordFields && this.r.chance(0.15)
          ? this.r.pick(KEYWORDS)
          : this.adversarial && this.r.chance(0.4)
            ? this.r.pick(POOL)
            : `${this.r.pick(["a", "b", "c", "len", "id", "tag", "seq"])}${this.r.int(0, 9)}`;
      if (!seen.has(n) && n !== "_") {
        seen.add(n);
        return n;
      }
    }
    const n = `f${seen.size}`;
    seen.add(n);
    return n;
  }

  /** The NF's own name: sometimes adversarial, rarely very long (a file name is derived from it). */
  nfName(seed: number, long: boolean): string {
    if (long) this.nf = "nf_" + "very_long_network_function_name_".repeat(this.r.int(4, 9)) + seed;
    else if (this.adversarial && this.r.chance(0.3)) this.nf = this.r.pick(POOL.filter((n) => this.ok(n)));
    else this.nf = `fuzz_${seed}`;
    this.used.add(this.nf);
    return this.nf;
  }
}
