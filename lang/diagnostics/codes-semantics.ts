// NF3xxx codes: NF semantics (narrowing, verdicts, loops, counters, write rules). Reported by
// lang/check. Keep numbers stable once released.
import { entry, type CodeEntry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

export const semanticCodes = {
  NF3001: entry<{ header: string; alias: string }>({
    title: "header may be absent",
    message: (p) => `header \`${p.header}\` may be absent here`,
    label: () => "not proven present",
    help: (p) => `bind it first: \`let ${p.alias} = ${p.header} else { pass }\``,
    explain: explainWith(
      "A header's fields are reachable only where the checker can prove the header was parsed: after `let x = hdr else { ... }` for the rest of the block, or inside `if let x = hdr { ... }`. Proving `tcp` does not prove `ipv4`.",
      "on packet { if tcp.dport == 22 { drop } pass }",
      "on packet { let t = tcp else { pass }; if t.dport == 22 { drop } pass }",
    ),
  }),
  NF3002: entry<Record<string, never>>({
    title: "`flow5()` needs ipv4",
    message: () => "`flow5()` needs header `ipv4` to be present here",
    label: () => "`ipv4` not proven present",
    help: () => "bind it first: `let ip = ipv4 else { pass }`",
    explain: explainWith(
      "The 5-tuple is read from the IPv4 header (ports from TCP/UDP when present).",
      "on packet { let f = flow5(); pass }",
      "on packet { let ip = ipv4 else { pass }; let f = flow5(); pass }",
    ),
  }),
  NF3003: entry<Record<string, never>>({
    title: "missing verdict",
    message: () => "the handler can reach its end without a verdict",
    label: () => "reachable without `pass`, `drop`, `tx` or `redirect`",
    help: () => "end this path with a verdict, e.g. `pass`",
    explain: explainWith(
      "Every path through `on packet` must end in a verdict.",
      "on packet { if pkt_len() > 1500 { drop } }",
      "on packet { if pkt_len() > 1500 { drop } pass }",
    ),
  }),
  NF3004: entry<Record<string, never>>({
    title: "`else` block must end in a verdict",
    message: () => "the `else` block of a `let ... else` must not fall through",
    label: () => "this block can reach its end",
    help: () => "end the block with a verdict such as `pass` or `drop`",
    explain: explainWith(
      "After `let x = v else { ... }` the code relies on x being bound, so the else block must leave the handler.",
      "let ip = ipv4 else { dropped += 1 }",
      "let ip = ipv4 else { dropped += 1; pass }",
    ),
  }),
  NF3005: entry<Record<string, never>>({
    severity: "warning",
    title: "unreachable code",
    message: () => "unreachable code",
    label: () => "never runs",
    help: () => "remove it, or move it before the verdict or `break` that precedes it",
    explain: explainWith(
      "A verdict ends the handler and `break` leaves the loop; statements after them never run.",
      "drop\npassed += 1",
      "passed += 1\ndrop",
    ),
  }),
  NF3006: entry<Record<string, never>>({
    title: "`break` outside a loop",
    message: () => "`break` outside of a loop",
    label: () => "not inside `for` or `repeat`",
    help: () => "use a verdict to leave the handler, or move this into a loop",
    explain: explainWith(
      "`break` leaves the innermost `for` or `repeat` loop.",
      "if x > 3 { break }",
      "for i in 0..8 { if i > 3 { break } }",
    ),
  }),
  NF3007: entry<{ name: string }>({
    title: "counter read in the datapath",
    message: (p) => `counter \`${p.name}\` cannot be read in the datapath`,
    label: () => "read here",
    help: () =>
      "counters are per-CPU and write-only here (`c += n`); read them from the control plane, or keep the value in a table",
    explain: explainWith(
      "Counters are per-CPU sums merged by the control plane; a datapath read would see one CPU's shard.",
      "if dropped > 100 { pass }",
      "table stats: array<u32, u64>(capacity = 1)\n... stats.add(0, 1)",
    ),
  }),
  NF3008: entry<{ name: string; op: string }>({
    title: "counters only support `+=`",
    message: (p) => `counter \`${p.name}\` can only be updated with \`+=\`, not \`${p.op}\``,
    label: () => "only `+=` is allowed",
    help: (p) => `write \`${p.name} += 1\``,
    explain: explainWith(
      "Counters only ever grow (per-CPU, lock-free); the control plane sums the shards.",
      "dropped = 0",
      "dropped += 1",
    ),
  }),
  NF3009: entry<{ name: string; what: string }>({
    title: "cannot assign to an immutable binding",
    message: (p) => `cannot assign twice to ${p.what} \`${p.name}\``,
    label: () => "assigned here",
    help: (p) => `declare it with \`var ${p.name}\` to make it mutable`,
    explain: explainWith(
      "`let` bindings and loop variables are immutable; `var` declares a mutable local.",
      "let n: u32 = 0\nn += 1",
      "var n: u32 = 0\nn += 1",
    ),
  }),
  NF3010: entry<{ header: string; field: string }>({
    title: "read-only header field",
    message: (p) => `field \`${p.field}\` of \`${p.header}\` is read-only`,
    label: () => "cannot be written",
    help: (p) =>
      p.field === "csum"
        ? "checksums are updated automatically when you write other fields"
        : `\`${p.header}.${p.field}\` is derived from the packet layout; write the fields it depends on instead`,
    explain: explainWith(
      "Checksums, header lengths and derived fields (`ipv4.ihl`, `tcp.off`, `ipv6.tc`, `ipv6.proto`) are read-only; writes to other fields update checksums incrementally.",
      "ip.csum = 0",
      "ip.ttl = ip.ttl - 1 // csum follows",
    ),
  }),
  NF3011: entry<{ name: string; what: string }>({
    title: "cannot assign to this name",
    message: (p) => `cannot assign to ${p.what} \`${p.name}\``,
    label: (p) => `${p.what}, not a variable`,
    help: (p) =>
      p.what === "config"
        ? "configs change at load time, not per packet; use a `var` or a table"
        : p.what === "constant"
          ? "constants never change; use a `var`"
          : "assign to a field, a `var`, or call an operation",
    explain: explainWith(
      "Only `var` locals, writable header fields, fields of bound table values and counters (`+=`) can be assigned.",
      "config limit: u32 = 10\non packet { limit = 5; pass }",
      "on packet { var limit: u32 = 10; limit = 5; pass }",
    ),
  }),
  NF3012: entry<Record<string, never>>({
    title: "missing `on packet` handler",
    message: () => "the program has no `on packet` handler",
    label: () => "this NF never handles a packet",
    help: () => "add `on packet { pass }`",
    explain: explainWith(
      "Every NF has exactly one `on packet` handler.",
      "nf fw on xdp\ncounter seen",
      "nf fw on xdp\ncounter seen\non packet { seen += 1; pass }",
    ),
  }),
  NF3013: entry<Record<string, never>>({
    title: "more than one handler",
    message: () => "the program has more than one `on packet` handler",
    label: () => "second handler",
    help: () => "merge the handlers into one",
    explain: explainWith(
      "An NF has exactly one `on packet` handler.",
      "on packet { pass }\non packet { drop }",
      "on packet { pass }",
    ),
  }),
  NF3015: entry<{ what: string }>({
    title: "optional value used directly",
    message: (p) => `\`${p.what}\` may have no value and must be bound before use`,
    label: () => "may be absent",
    help: (p) => `bind it: \`let v = ${p.what} else { pass }\``,
    explain: explainWith(
      "Table `get` returns a value only when the key is present; bind it with `let ... else` or `if let`.",
      "let n = counts.get(k) + 1",
      "let n = counts.get(k) else { pass }\nn += 1",
    ),
  }),
  NF3016: entry<{ name: string; what: string }>({
    title: "binding needs `else`",
    message: (p) => `binding \`${p.name}\` to ${p.what} needs an \`else\` block`,
    label: (p) => `${p.what} may be absent`,
    help: (p) => `add an else block: \`let ${p.name} = ... else { pass }\`, or use \`if let\``,
    explain: explainWith(
      "Headers and table values may be absent; the else block says what happens then.",
      "let ip = ipv4",
      "let ip = ipv4 else { pass }",
    ),
  }),
  NF3017: entry<{ ty: string }>({
    title: "nothing to bind",
    message: (p) =>
      `a value of type \`${p.ty}\` is always present; \`let ... else\` and \`if let\` need a header or a table \`get\``,
    label: () => "always present",
    help: () => "use a plain `let` (or an `if` with a condition)",
    explain: explainWith(
      "`let x = v else { ... }` and `if let x = v` bind headers and optional table values only.",
      "let n = pkt_len() else { pass }",
      "let n = pkt_len()",
    ),
  }),
  NF3018: entry<{ state: string; kind: string; op: string }>({
    title: "control-plane operation",
    message: (p) => `\`${p.op}\` on \`${p.kind}\` \`${p.state}\` is only available from the control plane`,
    label: () => "not available in `on packet`",
    help: () => "fill this structure from the control plane; the datapath can use `get` and `contains`",
    explain: explainWith(
      "LPM tables are filled by the control plane (prefixes with lengths); packets only look up.",
      "routes.insert(ip.dst, 1)",
      "let r = routes.get(ip.dst) else { pass }",
    ),
  }),
  NF3019: entry<{ name: string }>({
    title: "header used as a value",
    message: (p) => `header \`${p.name}\` is not a value`,
    label: () => "a header, not a value",
    help: (p) => `use one of its fields, e.g. \`${p.name}.<field>\``,
    explain: explainWith(
      "Headers are parts of the packet: bind them, then read or write their fields.",
      "let x = ip",
      "let src = ip.src",
    ),
  }),
  NF3020: entry<{ lo: string; hi: string }>({
    title: "empty range pattern",
    message: (p) => `range \`${p.lo}..${p.hi}\` matches nothing`,
    label: () => "empty range",
    help: () => "ranges include the low end and exclude the high end: `LO..HI` with LO < HI",
    explain: explainWith(
      "Match ranges are half-open.",
      "match p { 10..10 => { drop } _ => { pass } }",
      "match p { 10..11 => { drop } _ => { pass } }",
    ),
  }),
  NF3021: entry<{ what: string }>({
    title: "not a test packet",
    message: (p) => `not a test packet: ${p.what}`,
    label: () => "not a packet",
    help: () =>
      'write builder calls joined by `/`, outermost first: `eth(..) / vlan(..) / ipv4(..) / tcp(..) / payload(len = N)`, or `hex("..")`',
    explain: explainWith(
      "A test packet is a stack of builders (eth, vlan, ipv4, ipv6, tcp, udp, icmp, payload, hex); a lone tcp/udp/icmp means eth()/ipv4()/that.",
      "packet tcp(dport = 22) / ipv4()",
      "packet ipv4() / tcp(dport = 22)",
    ),
  }),
  NF3022: entry<{ field: string; builder: string; known: string }>({
    title: "unknown packet builder field",
    message: (p) => `\`${p.builder}\` has no field \`${p.field}\``,
    label: () => "unknown field",
    help: (p) => `\`${p.builder}\` takes ${p.known}`,
    explain: explainWith(
      "Builder fields are the header's field names; every one may be left out (defaults, lengths and checksums are filled in).",
      "packet udp(source = 10.0.0.1)",
      "packet udp(src = 10.0.0.1)",
    ),
  }),
  NF3023: entry<{ what: string }>({
    title: "not available in a test",
    message: (p) => `${p.what} cannot be used in a test expectation`,
    label: () => "not a state query",
    help: () =>
      "expectations read state and counters: `t.contains(k)`, `t.get(k)`, `s.estimate(k)`, `b.contains(k)`, counter names, literals",
    explain: explainWith(
      "An expectation is checked after the packets ran, against the state of both the interpreter and the kernel; packet headers and datapath builtins have no value there.",
      "expect ipv4.ttl == 1",
      "expect dropped == 1",
    ),
  }),
  NF3024: entry<{ count: string }>({
    title: "repeat count out of range",
    message: (p) => `a test repeats 1 to 100000 times, not ${p.count}`,
    label: () => "out of range",
    help: () => "write a constant count between 1 and 100000",
    explain: explainWith(
      "`repeat N { ... }` in a test runs its packets N times; N is a constant.",
      "repeat 0 { packet udp() }",
      "repeat 3 { packet udp() }",
    ),
  }),
  NF3025: entry<{ hook: string }>({
    title: "set_tstamp outside TC",
    message: (p) => `\`set_tstamp\` needs a TC hook; this program runs on ${p.hook}`,
    label: () => "only on `tc ingress` / `tc egress`",
    help: () =>
      "the departure time (EDT) is the socket buffer's `tstamp`, which XDP frames do not have: declare the NF `on tc egress` (the fq qdisc releases packets at that time)",
    explain: explainWith(
      "`set_tstamp(ns)` writes skb->tstamp, the earliest departure time the fq qdisc honours. XDP runs before a socket buffer exists.",
      "nf pacer on xdp\non packet { set_tstamp(now_ns() + 1000); pass }",
      "nf pacer on tc egress\non packet { set_tstamp(now_ns() + 1000); pass }",
    ),
  }),
  NF3030: entry<{ name: string; limit: number }>({
    title: "types nest too deeply",
    message: (p) => `\`${p.name}\` nests user types more than ${p.limit} levels deep`,
    label: () => "the chain of struct fields starts here",
    help: () =>
      "flatten the inner types into this one: a struct field of a struct field counts one level each",
    explain: explainWith(
      "A user `type` may hold fields of other user types, at most 32 levels deep (each phase, the interpreter and the generated C walk them recursively).",
      "type T0 { a: T1 }  type T1 { a: T2 }  ...  type T40 { a: u32 }",
      "type T0 { a: u32, b: u32 }",
    ),
  }),
  NF3031: entry<{ steps: string; limit: number }>({
    title: "test runs too many steps",
    message: (p) =>
      `this test runs ${p.steps} statements once its \`repeat\`s are unrolled; the limit is ${p.limit}`,
    label: () => "too many steps",
    help: () => "repeat fewer times; nested `repeat`s multiply their counts",
    explain: explainWith(
      "`nfc test` runs every packet and expectation of a test on the interpreter and on the kernel. A test runs at most 100000 statements with its `repeat`s unrolled, so nested repeats cannot hang it.",
      "repeat 100000 { repeat 100000 { packet udp() } }",
      "repeat 1000 { packet udp() }",
    ),
  }),
} satisfies Record<string, CodeEntry<any>>;
