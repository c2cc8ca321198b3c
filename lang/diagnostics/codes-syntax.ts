// NF1xxx codes: the syntax phase (lang/syntax). One code per family of mistake; keep numbers stable
// once released. Lexical problems are NF1001–NF1009, grammar problems NF1010–NF1021.
import { entry, type CodeEntry } from "./diagnostic.js";

export const syntaxCodes = {
  NF1001: entry<{ char: string; hint?: string }>({
    title: "unexpected character",
    message: (p) => `unexpected character \`${p.char}\``,
    label: () => "not part of any token",
    help: (p) => p.hint ?? "remove this character; comments start with `//`",
    explain: `The character cannot start any token of the language.

    nf x on xdp   # comment      // wrong: \`#\` is not a comment
    nf x on xdp   // comment     // right`,
  }),
  NF1002: entry<Record<string, never>>({
    title: "unterminated block comment",
    message: () => "unterminated block comment",
    label: () => "this comment is never closed",
    help: () => "close the comment with `*/`",
    explain: `A block comment runs from \`/*\` to the next \`*/\`; the file ended first.

    /* limits                    // wrong
    /* limits */                 // right`,
  }),
  NF1003: entry<Record<string, never>>({
    title: "unterminated string",
    message: () => "unterminated string",
    label: () => "this string is never closed",
    help: () => 'end the string with `"` on the same line',
    explain: `A string runs from \`"\` to the next unescaped \`"\` on the same line.

    "drops syn floods            // wrong
    "drops syn floods"           // right`,
  }),
  NF1004: entry<{ text: string; reason: string }>({
    title: "malformed integer",
    message: (p) => `\`${p.text}\` is not a valid integer`,
    label: (p) => p.reason,
    help: () => "write integers as `123`, `0x7f` or `0b1010` (`_` may separate digits)",
    explain: `Integers are decimal, hexadecimal (\`0x\`) or binary (\`0b\`), with optional \`_\`.

    const MASK: u32 = 0xffzz     // wrong
    const MASK: u32 = 0xff_00    // right`,
  }),
  NF1005: entry<{ text: string }>({
    title: "integer too large",
    message: (p) => `\`${p.text}\` does not fit in 64 bits`,
    label: () => "larger than 2^64-1",
    help: () => "integers are unsigned and at most 18446744073709551615 (`0xffff_ffff_ffff_ffff`)",
    explain: `Every integer type is at most 64 bits wide, so no literal may exceed 2^64-1.

    const BIG: u64 = 0x1_0000_0000_0000_0000   // wrong
    const BIG: u64 = 0xffff_ffff_ffff_ffff     // right`,
  }),
  NF1006: entry<{ text: string; reason: string }>({
    title: "malformed IPv4 address",
    message: (p) => `\`${p.text}\` is not a valid IPv4 address`,
    label: (p) => p.reason,
    help: () => "an IPv4 address is four numbers from 0 to 255 separated by `.`, e.g. `10.0.0.1`",
    explain: `IPv4 addresses are dotted quads; each part is 0 to 255.

    if ip.src == 300.1.1.1 { drop }   // wrong
    if ip.src == 192.0.2.1 { drop }   // right`,
  }),
  NF1007: entry<{ text: string; reason: string }>({
    title: "malformed IPv6 or MAC address",
    message: (p) => `\`${p.text}\` is not a valid IPv6 or MAC address`,
    label: (p) => p.reason,
    help: () =>
      "write IPv6 as eight hex groups or with one `::` (`2001:db8::1`), MAC as six two-digit groups (`02:00:00:00:00:01`)",
    explain: `Text with two or more \`:\` is an IPv6 address (eight groups of 1-4 hex digits, or fewer
with exactly one \`::\`, optionally ending in an IPv4 address) unless it is exactly six two-digit
hex groups, which is a MAC address.

    if ip6.dst == 1:2:3 { drop }        // wrong
    if ip6.dst == 2001:db8::1 { drop }  // right`,
  }),
  NF1008: entry<{ text: string; max: number }>({
    title: "prefix length out of range",
    message: (p) => `prefix length \`${p.text}\` is too long`,
    label: (p) => `must be at most ${p.max}`,
    help: (p) => `an ${p.max === 32 ? "IPv4" : "IPv6"} prefix length is 0 to ${p.max}`,
    explain: `A prefix is an address followed by \`/len\`; len is at most 32 for IPv4, 128 for IPv6.

    10.0.0.0/33      // wrong
    10.0.0.0/8       // right`,
  }),
  NF1009: entry<{ text: string }>({
    title: "unknown escape in string",
    message: (p) => `unknown escape \`${p.text}\` in string`,
    label: () => "not a known escape",
    help: () => 'the escapes are `\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\0` and `\\xHH`',
    explain: `Strings know only a few escapes.

    test "a\\q" { }      // wrong
    test "a\\\\q" { }     // right`,
  }),
  NF1010: entry<{ expected: string; found: string }>({
    title: "unexpected token",
    message: (p) => `expected ${p.expected}, found ${p.found}`,
    label: (p) => `expected ${p.expected}`,
    help: () => "check for a missing or extra token just before this point",
    explain: `The parser met a token that cannot continue the construct it was reading.

    table t hash<ip4, u64>(capacity = 16)     // wrong: missing \`:\`
    table t: hash<ip4, u64>(capacity = 16)    // right`,
  }),
  NF1011: entry<{ close: string; what: string; line: number; col: number; found: string }>({
    title: "missing closing delimiter",
    message: (p) => `expected \`${p.close}\` to close the ${p.what} opened at ${p.line}:${p.col}`,
    label: (p) => `found ${p.found}`,
    help: (p) => `add \`${p.close}\` where the ${p.what} should end`,
    explain: `Every \`{\`, \`(\` and \`[\` needs its closing partner.

    on packet {
      pass
                     // wrong: the file ends before \`}\`
    on packet {
      pass
    }                // right`,
  }),
  NF1012: entry<{ found: string }>({
    title: "expected an expression",
    message: (p) => `expected an expression, found ${p.found}`,
    label: () => "expected an expression here",
    help: () => "write a value, a name, a call or a parenthesised expression here",
    explain: `An operator, \`=\` or argument list needs an expression where this token stands.

    let x = (1 + )      // wrong
    let x = (1 + 2)     // right`,
  }),
  NF1013: entry<{ what: string; suggestion?: string }>({
    title: "not a statement",
    message: (p) => `${p.what} is not a statement`,
    label: () => "not a statement",
    help: (p) =>
      p.suggestion !== undefined
        ? `did you mean \`${p.suggestion}\`?`
        : "a statement is `let`, `var`, an assignment, `if`, `match`, `for`, `repeat`, `break`, a call or a verdict",
    explain: `Only calls, assignments, bindings, control flow and verdicts can stand alone in a block;
a bare value does nothing.

    on packet { passs }    // wrong
    on packet { pass }     // right`,
  }),
  NF1014: entry<{ found: string }>({
    title: "expected a declaration",
    message: (p) => `expected a declaration, found ${p.found}`,
    label: () => "not a declaration",
    help: () =>
      "at the top level write `const`, `config`, `type`, `header`, `parse`, `table`, `sketch`, `queue`, `counter` or `on packet { ... }`",
    explain: `Statements live inside \`on packet { ... }\`; the top level holds only declarations.

    nf x on xdp
    pass                    // wrong
    on packet { pass }      // right`,
  }),
  NF1015: entry<Record<string, never>>({
    title: "missing `nf` line",
    message: () => "the program does not start with an `nf` line",
    label: () => "expected `nf NAME on HOOK` before this",
    help: () => "start the file with e.g. `nf my_filter on xdp`",
    explain: `Every program names itself and its hook on its first line.

    counter seen                 // wrong: no nf line
    nf my_filter on xdp          // right
    counter seen`,
  }),
  NF1016: entry<{ what: "duplicate" | "misplaced" }>({
    title: "duplicate or misplaced `nf` line",
    message: (p) =>
      p.what === "duplicate" ? "a program has only one `nf` line" : "the `nf` line must come first",
    label: (p) => (p.what === "duplicate" ? "second `nf` line" : "`nf` line after other declarations"),
    help: (p) =>
      p.what === "duplicate"
        ? "remove this line; one file is one network function"
        : "move this line to the top of the file",
    explain: `One file is one network function, named by exactly one \`nf\` line at the top.

    counter seen
    nf my_filter on xdp          // wrong: not first
    nf my_filter on xdp          // right
    counter seen`,
  }),
  NF1017: entry<{ found: string }>({
    title: "unknown hook",
    message: (p) => `unknown hook ${p.found}`,
    label: () => "expected `xdp` or `tc`",
    help: () => "the hooks are `xdp`, `tc` (ingress), `tc ingress` and `tc egress`",
    explain: `The hook says where the program attaches.

    nf my_filter on socket       // wrong
    nf my_filter on tc egress    // right`,
  }),
  NF1018: entry<{ found: string }>({
    title: "`else` without a block",
    message: () => "`else` must be followed by a block or `if`",
    label: (p) => `found ${p.found}`,
    help: () => "wrap the branch in braces: `else { pass }`",
    explain: `The body of \`else\` is always a block (or another \`if\`).

    let ip = ipv4 else pass        // wrong
    let ip = ipv4 else { pass }    // right`,
  }),
  NF1019: entry<{ found: string }>({
    title: "unknown event",
    message: (p) => `unknown event ${p.found}`,
    label: () => "expected `packet`",
    help: () => "the handler is written `on packet { ... }`",
    explain: `A program has one handler, run once per packet.

    on frame { pass }     // wrong
    on packet { pass }    // right`,
  }),
  NF1020: entry<Record<string, never>>({
    title: "invalid assignment target",
    message: () => "cannot assign to this expression",
    label: () => "not a variable, field or element",
    help: () => "assign to a `var`, a counter, a header field (`ip.ttl`) or a table value field",
    explain: `The left side of \`=\` and \`op=\` must name a place.

    f() = 1          // wrong
    ip.ttl = 64      // right`,
  }),
  NF1021: entry<{ name: string; what: "needs-length" | "no-length" }>({
    title: "malformed type",
    message: (p) =>
      p.what === "needs-length" ? "`bytes` needs a length" : `\`${p.name}\` does not take a length`,
    label: (p) => (p.what === "needs-length" ? "write `bytes[N]`" : "only `bytes[N]` has a length"),
    help: (p) =>
      p.what === "needs-length"
        ? "give the size in brackets, e.g. `bytes[4]`"
        : `write \`${p.name}\` without \`[...]\``,
    explain: `Only the \`bytes\` type has a length, and it always has one.

    header h { rsvd: bytes }       // wrong
    header h { rsvd: bytes[3] }    // right`,
  }),
  NF1022: entry<{ word: string }>({
    title: "not a test statement",
    message: (p) => `\`${p.word}\` is not a test statement`,
    label: () => "unknown here",
    help: () => "a test holds `config`, `entry`, `packet`, `repeat` and `expect` statements",
    explain: `Inside \`test "name" { }\` each statement starts with one of five words.

    test "t" { check blocked.contains(10.0.0.1) }    // wrong
    test "t" { expect blocked.contains(10.0.0.1) }   // right`,
  }),
  NF1023: entry<{ limit: number }>({
    title: "nesting too deep",
    message: (p) => `brackets nest deeper than ${p.limit} levels`,
    label: (p) => `level ${p.limit + 1} opens here`,
    help: () => "move the inner part into a `let` binding, or split the block into smaller steps",
    explain: `Parentheses, brackets and braces may nest at most 32 levels deep (counted together),
so that every phase of the compiler — and clang, which stops at 256 levels of C — handles the
program. Real programs stay far below; a deeper nest is usually generated text.

    let x = ((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))    // wrong
    let x = a                                                                       // right`,
  }),
  NF1024: entry<{ limit: number; what: "unary" | "tree"; depth?: number }>({
    title: "expression nests too deeply",
    message: (p) =>
      p.what === "unary"
        ? `more than ${p.limit} unary operators in a row`
        : `this expression nests ${p.depth} levels deep; the limit is ${p.limit}`,
    label: (p) => (p.what === "unary" ? `operator ${p.limit + 1}` : `${p.depth} levels`),
    help: (p) => `split it into \`let\` bindings of at most ${p.limit} levels each`,
    explain: `An expression tree may be at most 64 levels deep: every operator, call, cast, index and
field access is one level, so a chain \`a + b + c\` of n terms is n levels. The compiler's phases
and the generated C (clang stops at 256 nested brackets) stay within bounds that way.

    let s = a + a + a + ... + a            // 3000 terms: wrong
    let s1 = a + a + ... + a               // 50 terms
    let s = s1 + s1 + ... + s1             // right`,
  }),
  NF1025: entry<{ limit: number }>({
    title: "`else if` chain too long",
    message: (p) => `this \`if\` chain has more than ${p.limit} branches`,
    label: (p) => `branch ${p.limit + 1}`,
    help: () => "use `match` on the value, or look the value up in a table",
    explain: `One \`if\` / \`else if\` chain may have at most 256 branches: each \`else if\` nests one level
deeper in every phase of the compiler.

    if p == 1 { ... } else if p == 2 { ... } ... else if p == 300 { ... }   // wrong
    match p { 1 => { ... }, 2 => { ... }, ... }                                  // right`,
  }),
  NF1026: entry<{ limit: number }>({
    title: "too many `match` arms",
    message: (p) => `this \`match\` has more than ${p.limit} arms`,
    label: (p) => `arm ${p.limit + 1}`,
    help: () => "join values that share a body (`1, 2, 3 => { }`, `10..20 => { }`) or use a table lookup",
    explain: `A \`match\` may have at most 512 arms (it becomes a chain of comparisons in C). Arms with
the same body can share it through a pattern list or a range.

    match p { 0 => { drop }, 1 => { drop }, ..., 600 => { drop }, _ => { } }    // wrong
    match p { 0..601 => { drop }, _ => { } }                                    // right`,
  }),
  NF1027: entry<{ byte: string; offset: number }>({
    title: "source is not UTF-8",
    message: (p) => `byte ${p.byte} at offset ${p.offset} is not valid UTF-8`,
    label: () => "invalid byte here",
    help: () => "save the file as UTF-8 (programs are ASCII except inside comments and strings)",
    explain: `An nf source file is UTF-8 text. The file holds a byte that cannot start or continue a
UTF-8 sequence — often a file saved as Latin-1 (\`é\` as 0xe9) or a binary file passed by mistake.

    // caf\xe9 (Latin-1)           // wrong
    // café (UTF-8)               // right`,
  }),
} satisfies Record<string, CodeEntry<any>>;
