// NF2xxx codes: names and types. Reported by lang/check. Keep numbers stable once released.
import { entry, type CodeEntry } from "./diagnostic.js";

/** Long explanation with a wrong and a right example (shared shape of every NF2/3/4 entry). */
export function explainWith(text: string, wrong: string, right: string): string {
  return `${text}\n\nwrong:\n\n${indent(wrong)}\n\nright:\n\n${indent(right)}`;
}
const indent = (s: string): string =>
  s
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
const didYouMean = (s: string | undefined, otherwise: string): string =>
  s ? `did you mean \`${s}\`?` : otherwise;

export const typeCodes = {
  NF2001: entry<{ name: string; suggestion?: string }>({
    title: "unknown name",
    message: (p) => `cannot find \`${p.name}\` in this scope`,
    label: () => "not found",
    help: (p) =>
      didYouMean(
        p.suggestion,
        "declare it first (`let`, `var`, `const`, `config`, a table, a sketch or a header)",
      ),
    explain: explainWith(
      "Every name must be declared before use: locals with `let`/`var`, globals at the top level.",
      "on packet { x += 1; pass }",
      "on packet { var x: u32 = 0; x += 1; pass }",
    ),
  }),
  NF2002: entry<{ name: string }>({
    title: "duplicate name",
    message: (p) => `\`${p.name}\` is declared more than once`,
    label: () => "declared again here",
    help: (p) => `rename one of the two \`${p.name}\``,
    explain: explainWith(
      "Top-level names, struct and header fields, structure parameters and handlers share one namespace each; a name may be declared once.",
      "counter hits\ncounter hits",
      "counter hits, misses",
    ),
  }),
  NF2003: entry<{ name: string; suggestion?: string }>({
    title: "unknown type",
    message: (p) => `unknown type \`${p.name}\``,
    label: () => "not a type",
    help: (p) =>
      didYouMean(
        p.suggestion,
        "use `u8`..`u64`, `bool`, `ip4`, `ip6`, `mac`, `flow5`, `bytes[N]` or a declared `type`",
      ),
    explain: explainWith(
      "Types are the built-in ones or declared with `type NAME { ... }`.",
      "config limit: u23 = 5",
      "config limit: u32 = 5",
    ),
  }),
  NF2004: entry<{ name: string; is: string; expected: string }>({
    title: "wrong kind of name",
    message: (p) => `\`${p.name}\` is ${p.is}, not ${p.expected}`,
    label: (p) => `this is ${p.is}`,
    help: (p) =>
      p.is.includes("table") || p.is.includes("sketch")
        ? `call one of its operations, e.g. \`${p.name}.contains(k)\``
        : `use ${p.expected} here`,
    explain: explainWith(
      "Tables and sketches are used through their operations, headers through their fields, types only in type positions.",
      "if blocked { drop }",
      "if blocked.contains(ip.src) { drop }",
    ),
  }),
  NF2005: entry<{ name: string; suggestion?: string }>({
    title: "unknown function",
    message: (p) => `there is no built-in function \`${p.name}\``,
    label: () => "unknown function",
    help: (p) =>
      didYouMean(
        p.suggestion,
        "built-ins are `now_ns`, `pkt_len`, `cpu`, `flow5`, `min`, `max`, `hash` and `set_tstamp`",
      ),
    explain: explainWith(
      "Only the built-in functions listed in the language reference can be called by name.",
      "let t = time_ns()",
      "let t = now_ns()",
    ),
  }),
  NF2006: entry<{ state: string; kind: string; op: string; ops: string; suggestion?: string }>({
    title: "unknown operation",
    message: (p) => `\`${p.kind}\` \`${p.state}\` has no operation \`${p.op}\``,
    label: () => "unknown operation",
    help: (p) => didYouMean(p.suggestion, `its operations are ${p.ops}`),
    explain: explainWith(
      "Each structure kind has a fixed set of operations (see the State table of the language reference).",
      "flows.increment(f)",
      "flows.add(f, 1)",
    ),
  }),
  NF2007: entry<{ what: string; expected: string; found: number }>({
    title: "wrong number of arguments",
    message: (p) =>
      `\`${p.what}\` takes ${p.expected} argument${p.expected === "1" ? "" : "s"} but ${p.found} ${p.found === 1 ? "was" : "were"} given`,
    label: (p) => `expected ${p.expected}`,
    help: (p) => `pass ${p.expected} argument${p.expected === "1" ? "" : "s"} to \`${p.what}\``,
    explain: explainWith(
      "Calls must pass exactly the parameters of the function or operation (optional ones may be left out).",
      "blocked.insert(ip.src)",
      "blocked.insert(ip.src, now_ns())",
    ),
  }),
  NF2008: entry<{ expected: string; found: string }>({
    title: "mismatched types",
    message: (p) => `expected \`${p.expected}\`, found \`${p.found}\``,
    label: (p) => `expected \`${p.expected}\`, found \`${p.found}\``,
    help: (p) =>
      p.found.startsWith("u") && p.expected.startsWith("u")
        ? `narrowing needs an explicit conversion: \`as ${p.expected}\``
        : `give this a value of type \`${p.expected}\``,
    explain: explainWith(
      "Values only flow into places of the same type; integers widen automatically, everything else needs `as` or is not allowed.",
      "let a: ip4 = 10",
      "let a: ip4 = 10.0.0.1",
    ),
  }),
  NF2009: entry<{ text: string; ty: string; max: string }>({
    title: "literal out of range",
    message: (p) => `literal \`${p.text}\` does not fit in \`${p.ty}\``,
    label: (p) => `\`${p.ty}\` holds 0..=${p.max}`,
    help: (p) => `use a value up to ${p.max}, or a wider type`,
    explain: explainWith(
      "An integer literal takes the type its context needs and must fit in it.",
      "var ttl: u8 = 300",
      "var ttl: u16 = 300",
    ),
  }),
  NF2010: entry<{ from: string; to: string }>({
    title: "invalid conversion",
    message: (p) => `cannot convert \`${p.from}\` to \`${p.to}\``,
    label: () => "invalid `as`",
    help: () => "`as` converts between integer types, and between `ip4` and `u32`",
    explain: explainWith(
      "`as` truncates or zero-extends integers and converts `ip4` to and from its host-order `u32`; nothing else.",
      "let b = flag as u8",
      "var b: u8 = 0\nif flag { b = 1 }",
    ),
  }),
  NF2011: entry<{ op: string; ty: string }>({
    title: "operator not defined for type",
    message: (p) => `operator \`${p.op}\` cannot be applied to \`${p.ty}\``,
    label: (p) => `\`${p.ty}\` does not support \`${p.op}\``,
    help: (p) =>
      ["ip4", "ip6", "mac"].includes(p.ty) || p.ty.startsWith("bytes")
        ? `\`${p.ty}\` only supports \`==\` and \`!=\`${p.ty === "ip4" ? "; use `as u32` for arithmetic" : ""}`
        : p.ty === "bool"
          ? "booleans combine with `&&`, `||` and `!`"
          : "integers support arithmetic, bit operations and comparisons; booleans `&&`, `||`, `!`",
    explain: explainWith(
      "Integers have arithmetic, bit operators and comparisons; booleans have `&&`, `||`, `!`; addresses, MACs, byte arrays and structs only `==` and `!=`.",
      "if ip.src > 10.0.0.0 { drop }",
      "if (ip.src as u32) > (10.0.0.0 as u32) { drop }",
    ),
  }),
  NF2012: entry<{ what: string }>({
    title: "constant required",
    message: (p) => `${p.what} must be a constant expression`,
    label: () => "not a constant",
    help: () => "use literals, `const` names and arithmetic on them",
    explain: explainWith(
      "Loop bounds, `const` initialisers, `bytes[N]` lengths, match patterns and parse values are computed at compile time.",
      "for i in 0..pkt_len() { }",
      "const N: u32 = 8\nfor i in 0..N { }",
    ),
  }),
  NF2013: entry<{ name: string }>({
    title: "config value must be a literal",
    message: (p) => `the value of config \`${p.name}\` must be a literal`,
    label: () => "not a literal",
    help: () => "write the value itself (e.g. `10000`); it can be changed at load time",
    explain: explainWith(
      "A `config` is a load-time tunable; its default is stored as written.",
      "config limit: u32 = BASE * 2",
      "config limit: u32 = 20000",
    ),
  }),
  NF2014: entry<{ field: string; of: string; suggestion?: string }>({
    title: "unknown field",
    message: (p) => `\`${p.of}\` has no field \`${p.field}\``,
    label: () => "unknown field",
    help: (p) => didYouMean(p.suggestion, `see the fields of \`${p.of}\` in the language reference`),
    explain: explainWith(
      "Fields are those of the header or struct type.",
      "if ip.source == 10.0.0.1 { drop }",
      "if ip.src == 10.0.0.1 { drop }",
    ),
  }),
  NF2015: entry<{ ty: string; where: string }>({
    title: "not a data type",
    message: (p) => `\`${p.ty}\` cannot be used as ${p.where}`,
    label: () => "not plain data",
    help: () => "use an integer, `bool`, `ip4`, `ip6`, `mac`, `bytes[N]`, `flow5` or a `type` struct",
    explain: explainWith(
      "Keys, values, locals and struct fields are plain bytes; headers, optional values and nothing-values are not.",
      "let h = ipv4",
      "let ip = ipv4 else { pass }",
    ),
  }),
  NF2016: entry<{ field: string; ty: string }>({
    title: "header field type not allowed",
    message: (p) => `header field \`${p.field}\` cannot have type \`${p.ty}\``,
    label: () => "not a wire type",
    help: () => "header fields are `u8`..`u64`, `ip4`, `ip6`, `mac` or `bytes[N]`",
    explain: explainWith(
      "User headers describe bytes on the wire, big-endian and without padding.",
      "header vx { ok: bool }",
      "header vx { flags: u8 }",
    ),
  }),
  NF2017: entry<{ family: string; kind: string; suggestion?: string }>({
    title: "unknown structure kind",
    message: (p) => `there is no ${p.family} kind \`${p.kind}\``,
    label: () => "unknown kind",
    help: (p) =>
      didYouMean(p.suggestion, "tables: `array`, `hash`, `lru`, `lpm`; sketches: `count_min`, `bloom`"),
    explain: explainWith(
      "Structure kinds come from the building-block registry.",
      "table t: hashmap<ip4, u64>(capacity = 1024)",
      "table t: hash<ip4, u64>(capacity = 1024)",
    ),
  }),
  NF2018: entry<{ kind: string; actual: string; written: string }>({
    title: "structure declared with the wrong keyword",
    message: (p) => `\`${p.kind}\` is a ${p.actual}, not a ${p.written}`,
    label: (p) => `declared as a ${p.written}`,
    help: (p) => `declare it with \`${p.actual}\``,
    explain: explainWith(
      "Each kind belongs to one family: tables (`table`), sketches (`sketch`), queues (`queue`).",
      "table flows: count_min<flow5>(rows = 4, width = 1024)",
      "sketch flows: count_min<flow5>(rows = 4, width = 1024)",
    ),
  }),
  NF2019: entry<{ kind: string; expected: string; found: number }>({
    title: "wrong number of type arguments",
    message: (p) =>
      `\`${p.kind}\` takes type arguments ${p.expected}, but ${p.found} ${p.found === 1 ? "was" : "were"} given`,
    label: (p) => `expected ${p.expected}`,
    help: (p) => `write \`${p.kind}${p.expected}\``,
    explain: explainWith(
      "Tables take a key and a value type; sketches a key type.",
      "table t: hash<ip4>(capacity = 64)",
      "table t: hash<ip4, u64>(capacity = 64)",
    ),
  }),
  NF2020: entry<{ kind: string; ty: string; accepted: string }>({
    title: "key type not accepted",
    message: (p) => `\`${p.kind}\` cannot have keys of type \`${p.ty}\``,
    label: (p) => `expected ${p.accepted}`,
    help: (p) => `use ${p.accepted} as the key type`,
    explain: explainWith(
      "`lpm` keys are addresses (`ip4` or `ip6`); `array` keys are integers up to `u32`.",
      "table routes: lpm<u32, u32>(capacity = 1024)",
      "table routes: lpm<ip4, u32>(capacity = 1024)",
    ),
  }),
  NF2021: entry<{ kind: string; param: string; suggestion?: string; params: string }>({
    title: "unknown structure parameter",
    message: (p) => `\`${p.kind}\` has no parameter \`${p.param}\``,
    label: () => "unknown parameter",
    help: (p) => didYouMean(p.suggestion, `its parameters are ${p.params}`),
    explain: explainWith(
      "Each structure kind accepts the parameters listed in the language reference.",
      "table t: hash<ip4, u64>(size = 64)",
      "table t: hash<ip4, u64>(capacity = 64)",
    ),
  }),
  NF2022: entry<{ param: string }>({
    title: "duplicate structure parameter",
    message: (p) => `parameter \`${p.param}\` is given more than once`,
    label: () => "given again here",
    help: (p) => `keep one \`${p.param}\``,
    explain: explainWith(
      "Each parameter may be given once.",
      "table t: hash<ip4, u64>(capacity = 64, capacity = 128)",
      "table t: hash<ip4, u64>(capacity = 128)",
    ),
  }),
  NF2023: entry<{ kind: string; forms: string }>({
    title: "missing structure parameters",
    message: (p) => `\`${p.kind}\` needs ${p.forms}`,
    label: () => "parameters missing",
    help: (p) => `add ${p.forms}`,
    explain: explainWith(
      "Sizes cannot be guessed: tables need `capacity`, count_min `rows`+`width` or `epsilon`+`delta`, bloom `bits`+`hashes` or `capacity`+`fp`.",
      "table t: hash<ip4, u64>()",
      "table t: hash<ip4, u64>(capacity = 65536)",
    ),
  }),
  NF2024: entry<{ param: string; expected: string }>({
    title: "wrong kind of parameter value",
    message: (p) => `parameter \`${p.param}\` expects ${p.expected}`,
    label: (p) => `expected ${p.expected}`,
    help: (p) =>
      p.expected === "no value"
        ? `write the flag alone: \`${p.param}\``
        : `write \`${p.param} = <${p.expected}>\``,
    explain: explainWith(
      "Flags (`per_cpu`) take no value; sizes take integers; rates (`epsilon`, `delta`, `fp`) take decimals.",
      "table t: hash<ip4, u64>(capacity = 64, per_cpu = 1)",
      "table t: hash<ip4, u64>(capacity = 64, per_cpu)",
    ),
  }),
  NF2025: entry<{ a: string; b: string }>({
    title: "conflicting structure parameters",
    message: (p) => `\`${p.a}\` and \`${p.b}\` cannot be given together`,
    label: () => "conflicts with an earlier parameter",
    help: () => "size the structure one way: either its exact dimensions or its error targets",
    explain: explainWith(
      "Sketches are sized either directly or from error targets, not both.",
      "sketch s: count_min<flow5>(rows = 4, width = 1024, epsilon = 0.01, delta = 0.01)",
      "sketch s: count_min<flow5>(epsilon = 0.01, delta = 0.01)",
    ),
  }),
  NF2026: entry<{ field: string; ty: string }>({
    title: "missing struct field",
    message: (p) => `struct literal of \`${p.ty}\` is missing field \`${p.field}\``,
    label: (p) => `\`${p.field}\` missing`,
    help: (p) => `add \`${p.field}: <value>\``,
    explain: explainWith(
      "Struct literals give every field.",
      "let k = Key { src: ip.src }",
      "let k = Key { src: ip.src, dst: ip.dst }",
    ),
  }),
  NF2027: entry<{ name: string }>({
    title: "definition refers to itself",
    message: (p) => `\`${p.name}\` is defined in terms of itself`,
    label: () => "cycle through here",
    help: () => "break the cycle: give one of the definitions a value that does not refer back",
    explain: explainWith(
      "Constants and types cannot be recursive.",
      "const A: u32 = B + 1\nconst B: u32 = A",
      "const A: u32 = 2\nconst B: u32 = A",
    ),
  }),
  NF2028: entry<{ name: string; what: string }>({
    title: "built-in name redefined",
    message: (p) => `\`${p.name}\` is a built-in ${p.what} and cannot be redeclared`,
    label: () => "built-in name",
    help: () => "choose another name",
    explain: explainWith(
      "Built-in types, headers and functions keep their meaning everywhere.",
      "header tcp { x: u8 }",
      "header mytcp { x: u8 }",
    ),
  }),
  NF2030: entry<{ ty: string }>({
    title: "cannot index",
    message: (p) => `\`${p.ty}\` cannot be indexed`,
    label: () => "not a byte array",
    help: () => "only `bytes[N]` values are indexed (`b[i]` is a `u8`)",
    explain: explainWith(
      "Indexing reads one byte of a `bytes[N]` value.",
      "let b = ip.src[0]",
      "let b = (ip.src as u32) >> 24",
    ),
  }),
  NF2031: entry<{ name: string }>({
    title: "parse extension needs a user header",
    message: (p) => `\`${p.name}\` is a built-in header; \`parse\` only adds user headers`,
    label: () => "built-in header",
    help: () => "declare `header NAME { ... }` and parse that",
    explain: explainWith(
      "`parse A.f == v => H` makes the parser read the user header H after A.",
      "parse ipv4.proto == 6 => tcp",
      "header vxlan { flags: u8, rsvd: bytes[3], vni: u32 }\nparse udp.dport == 4789 => vxlan",
    ),
  }),
  NF2032: entry<{ name: string }>({
    title: "named argument not accepted",
    message: (p) => `named argument \`${p.name}\` is not accepted here`,
    label: () => "named argument",
    help: () => "pass the arguments by position",
    explain: explainWith(
      "Operations and built-ins take positional arguments.",
      "flows.add(key = f)",
      "flows.add(f)",
    ),
  }),
  NF2033: entry<{ what: string }>({
    title: "call returns no value",
    message: (p) => `\`${p.what}\` returns no value`,
    label: () => "no value",
    help: () => "call it as a statement on its own line",
    explain: explainWith("Some operations only change state.", "let x = flows.add(f, 1)", "flows.add(f, 1)"),
  }),
  NF2050: entry<{ index: string; len: number }>({
    title: "constant index past the end",
    message: (p) => `index ${p.index} is past the end of a \`bytes[${p.len}]\``,
    label: (p) => `valid indices are 0 to ${p.len - 1}`,
    help: (p) => `use an index below ${p.len}, or a wider \`bytes\` field`,
    explain: explainWith(
      "A constant index into a `bytes[N]` value must be below N: such an access could only ever read 0 or write nothing. A computed index past the end reads 0 and writes nothing.",
      "header h { v: bytes[4] }\nlet b = hv.v[4]",
      "header h { v: bytes[4] }\nlet b = hv.v[3]",
    ),
  }),
} satisfies Record<string, CodeEntry<any>>;
