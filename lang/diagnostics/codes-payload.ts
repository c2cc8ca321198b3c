// Codes of the payload operations (lang/check/payload.ts, docs/LANGUAGE.md "Payload"): NF2045-NF2046
// (types), NF3050-NF3054 (where payload may be used), NF4230-NF4231 (bounds). Keep numbers stable.
import { entry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

const HDR = "let ip = ipv4 else { pass }\n  let u = udp else { pass }";

export const payloadCodes = {
  NF2045: entry<{ ty: string }>({
    title: "payload write of a value that is not bytes",
    message: (p) => `\`payload.write\` writes \`u8\`, \`u16\`, \`u32\` or \`bytes[N]\`, not \`${p.ty}\``,
    label: (p) => `\`${p.ty}\``,
    help: () => "write an integer (big-endian on the wire) or a `bytes[N]` value",
    explain: explainWith(
      "`payload.write(off, v)` stores `v` at byte `off` of the payload: integers of up to 32 bits big-endian, `bytes[N]` as they are.",
      "on packet {\n  " + HDR + "\n  payload.write(0, ip.src)\n  pass\n}",
      "on packet {\n  " + HDR + "\n  payload.write(0, ip.src as u32)\n  pass\n}",
    ),
  }),
  NF2046: entry<{ ty: string }>({
    title: "a length for an integer payload write",
    message: (p) => `a length applies to a \`bytes[N]\` write, not to a \`${p.ty}\``,
    label: () => "not used for an integer",
    help: () => "remove the length: an integer is written whole",
    explain: explainWith(
      "`payload.write(off, b, len)` writes the first `len` bytes of a `bytes[N]` value; an integer is always written whole.",
      "on packet {\n  " + HDR + "\n  payload.write(0, 7 as u16, 1)\n  pass\n}",
      "on packet {\n  " + HDR + "\n  payload.write(0, 7 as u16)\n  pass\n}",
    ),
  }),
  NF2047: entry<{ len: number; n: number; wide: boolean }>({
    title: "string does not fit its bytes type",
    message: (p) =>
      p.wide
        ? `this string has a character that is not one byte, so it is not a \`bytes[${p.n}]\``
        : `this string has ${p.len} bytes; a \`bytes[${p.n}]\` holds ${p.n}`,
    label: (p) => `expected \`bytes[${p.n}]\``,
    help: (p) =>
      p.wide
        ? "use characters up to \\xff (one byte each)"
        : `shorten it, or use a larger type than \`bytes[${p.n}]\``,
    explain: explainWith(
      "A string literal stands for a `bytes[N]` value where one is expected: its bytes, then zeros up to N. It must fit.",
      'on packet {\n  let k: bytes[2] = "abc"\n  pass\n}',
      'on packet {\n  let k: bytes[4] = "abc"\n  pass\n}',
    ),
  }),
  NF3050: entry<Record<string, never>>({
    title: "payload needs tcp or udp",
    message: () => "`payload` is the bytes after the TCP or UDP header, and neither is proven present here",
    label: () => "no `tcp` or `udp` proven present",
    help: () => "bind the L4 header first: `let u = udp else { pass }`",
    explain: explainWith(
      "The payload starts right after the TCP header (with its options) or the 8-byte UDP header, so one of them must be proven present where `payload` is used.",
      "on packet { if payload.len() > 0 { drop } pass }",
      "on packet {\n  let u = udp else { pass }\n  if payload.len() > 0 { drop }\n  pass\n}",
    ),
  }),
  NF3051: entry<{ op: string; ops: string; suggestion?: string }>({
    title: "unknown payload operation",
    message: (p) => `\`payload\` has no operation \`${p.op}\``,
    label: () => "unknown operation",
    help: (p) => (p.suggestion ? `did you mean \`${p.suggestion}\`?` : `the operations are ${p.ops}`),
    explain: explainWith(
      "`payload` offers `len`, `u8`, `u16`, `u32`, `starts_with`, `find`, `slice`, `write` and `resize` (docs/LANGUAGE.md, Payload).",
      "on packet {\n  let u = udp else { pass }\n  if payload.length() > 0 { drop }\n  pass\n}",
      "on packet {\n  let u = udp else { pass }\n  if payload.len() > 0 { drop }\n  pass\n}",
    ),
  }),
  NF3052: entry<{ why: string }>({
    title: "`starts_with` needs a string literal",
    message: (p) => `the text \`payload.starts_with\` compares ${p.why}`,
    label: () => "expected a non-empty string literal",
    help: () =>
      'write the bytes as a string literal, e.g. `payload.starts_with("get ")` (escapes \\r \\n \\t \\0)',
    explain: explainWith(
      "The compared text is a constant: its bytes are checked against the payload one by one, so it must be a non-empty string literal whose characters are single bytes.",
      'on packet {\n  let u = udp else { pass }\n  if payload.starts_with("") { drop }\n  pass\n}',
      'on packet {\n  let u = udp else { pass }\n  if payload.starts_with("get ") { drop }\n  pass\n}',
    ),
  }),
  NF3053: entry<{ found: string }>({
    title: "slice without a bytes type",
    message: (p) => `\`payload.slice\` needs a \`bytes[N]\` type from its context, found ${p.found}`,
    label: () => "the slice's capacity N is unknown",
    help: () => "give the binding a type: `let k: bytes[32] = payload.slice(off, len)`",
    explain: explainWith(
      "A slice copies at most N payload bytes into a `bytes[N]` value (the rest zero); N comes from the type the context expects.",
      "on packet {\n  let u = udp else { pass }\n  let k = payload.slice(0, 8)\n  pass\n}",
      "on packet {\n  let u = udp else { pass }\n  let k: bytes[8] = payload.slice(0, 8)\n  pass\n}",
    ),
  }),
  NF3054: entry<{ op: string; missing: string }>({
    title: "payload change without UDP over IPv4",
    message: (p) =>
      `\`payload.${p.op}\` changes the packet, which needs \`udp\` over \`ipv4\`; \`${p.missing}\` is not proven present`,
    label: () => "the checksum rule needs UDP over IPv4",
    help: (p) => `bind it first: \`let ${p.missing === "udp" ? "u = udp" : "ip = ipv4"} else { pass }\``,
    explain: explainWith(
      "Writing or resizing the payload sets the UDP checksum to zero, which RFC 768 allows over IPv4 only, and updates the IPv4 total length, the IPv4 checksum and the UDP length. TCP payloads and UDP over IPv6 cannot be changed.",
      "on packet {\n  let u = udp else { pass }\n  payload.write(0, 1 as u8)\n  pass\n}",
      "on packet {\n  " + HDR + "\n  payload.write(0, 1 as u8)\n  pass\n}",
    ),
  }),
  NF4230: entry<{ what: string; n: number; max: number }>({
    title: "payload bound too large",
    message: (p) => `${p.what} covers ${p.n} bytes; at most ${p.max} are allowed`,
    label: (p) => `${p.n} bytes`,
    help: (p) => `use at most ${p.max} bytes (a scan or copy is a loop the verifier walks byte by byte)`,
    explain: explainWith(
      "Scans (`find`), slices, compared strings and `bytes[N]` writes are bounded loops over at most 256 bytes, so the verifier walks a known number of steps; a scan length is a constant from 1 to 256.",
      "on packet {\n  let u = udp else { pass }\n  let i = payload.find(10, 0, 1000)\n  pass\n}",
      "on packet {\n  let u = udp else { pass }\n  let i = payload.find(10, 0, 256)\n  pass\n}",
    ),
  }),
  NF4231: entry<{ n: string; max: number }>({
    title: "payload loop inside loops too long",
    message: (p) => `this payload operation inside loops walks ${p.n} bytes in all; at most ${p.max}`,
    label: () => "a byte loop inside the enclosing loops",
    help: () => "scan fewer bytes, or move the operation out of the loop",
    explain: explainWith(
      "A scan, slice or bytes write is a loop over its bound; inside user loops the iterations multiply and count toward the 65536 nested iterations the verifier can walk.",
      "on packet {\n  let u = udp else { pass }\n  for i in 0..1024 { if payload.find(10, i, 256) == 0 { drop } }\n  pass\n}",
      "on packet {\n  let u = udp else { pass }\n  if payload.find(10, 0, 256) == 0 { drop }\n  pass\n}",
    ),
  }),
};
