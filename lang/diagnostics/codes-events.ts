// Codes of events and observability (lang/events.ts, `nfc watch`, `nfc metrics`): NF2040-NF2044
// names and types of events, NF3040-NF3049 their semantics, NF6050-NF6069 the commands that read
// them. Keep numbers stable once released.
import { entry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

const EV = "event blocked { src: ip4, estimate: u32 }";

export const eventCodes = {
  NF2040: entry<{ name: string; suggestion?: string; known: string }>({
    title: "unknown event",
    message: (p) => `no event named \`${p.name}\``,
    label: () => "not a declared event",
    help: (p) =>
      p.suggestion
        ? `did you mean \`${p.suggestion}\`?`
        : p.known
          ? `declared events: ${p.known}`
          : `declare it at the top level: \`event ${p.name} { field: u32 }\``,
    explain: explainWith(
      "`emit NAME { ... }` and `expect event NAME { ... }` name an event declared at the top level with `event NAME { field: TYPE, ... }`. Events have their own namespace: an event may share its name with a table.",
      "on packet { emit blocked { src = 10.0.0.1 }; pass }",
      `${EV}\non packet { let ip = ipv4 else { pass }; emit blocked { src = ip.src, estimate = 0 }; pass }`,
    ),
  }),
  NF2041: entry<{ event: string; field: string; fields: string }>({
    title: "unknown event field",
    message: (p) => `event \`${p.event}\` has no field \`${p.field}\``,
    label: () => "not a field of this event",
    help: (p) => (p.fields ? `its fields: ${p.fields}` : `\`${p.event}\` has no fields: write \`{}\``),
    explain: explainWith(
      "Each `name = value` of an `emit` (or an `expect event`) must name a field of the event's declaration.",
      `${EV}\n... emit blocked { source = ip.src, estimate = 1 }`,
      `${EV}\n... emit blocked { src = ip.src, estimate = 1 }`,
    ),
  }),
  NF2042: entry<{ event: string; missing: string }>({
    title: "event field not given",
    message: (p) => `\`emit ${p.event}\` does not give ${p.missing}`,
    label: () => "every field of the event needs a value",
    help: (p) => `add ${p.missing} (\`name = value\`) to the braces`,
    explain: explainWith(
      "An `emit` gives every field of the event a value: a record with a field left out would send whatever the ring buffer held before.",
      `${EV}\n... emit blocked { src = ip.src }`,
      `${EV}\n... emit blocked { src = ip.src, estimate = 0 }`,
    ),
  }),
  NF2043: entry<{ field: string }>({
    title: "event field given twice",
    message: (p) => `field \`${p.field}\` is given more than once`,
    label: () => "given again here",
    help: (p) => `keep one \`${p.field} = ...\``,
    explain: explainWith(
      "Each field of an `emit` or `expect event` is given once.",
      "emit blocked { src = ip.src, src = ip.dst, estimate = 1 }",
      "emit blocked { src = ip.src, estimate = 1 }",
    ),
  }),
  NF2044: entry<{ name: string }>({
    severity: "warning",
    title: "event never emitted",
    message: (p) => `event \`${p.name}\` is declared but never emitted`,
    label: () => "no `emit` names it",
    help: (p) => `emit it (\`emit ${p.name} { ... }\`) or remove the declaration`,
    explain: explainWith(
      "An event nobody emits still takes its place in the manifest and its counters; usually an `emit` was forgotten or names another event.",
      `${EV}\non packet { pass }`,
      `${EV}\non packet { let ip = ipv4 else { pass }; emit blocked { src = ip.src, estimate = 0 }; pass }`,
    ),
  }),
  NF3040: entry<{ text: string }>({
    title: "bad sampling rate",
    message: (p) => `\`every ${p.text}\` must be a constant from 1 to 4294967295`,
    label: () => "not a usable rate",
    help: () => "write a positive integer or a `const`: `emit e { ... } every 100` sends 1 in 100 per CPU",
    explain: explainWith(
      "`emit E { ... } every N` sends the 1st, (N+1)th, (2N+1)th ... emit of this statement on each CPU (a per-CPU count, kept in the counter block). N is a compile-time constant, at least 1.",
      "emit blocked { src = ip.src, estimate = e } every 0",
      "emit blocked { src = ip.src, estimate = e } every 1000",
    ),
  }),
  NF3041: entry<{ name: string; bytes: number; max: number }>({
    title: "event record too large",
    message: (p) => `event \`${p.name}\` is ${p.bytes} bytes; a record may be at most ${p.max}`,
    label: () => "too large for one ring buffer record",
    help: () => "send fewer or smaller fields (a hash or an index instead of a large `bytes[N]`)",
    explain: explainWith(
      "Every record is reserved in the ring buffer and filled in place; records are kept small (at most 512 bytes, with the 4-byte event id) so a burst cannot fill the ring with a handful of packets.",
      "event sample { data: bytes[1024] }",
      "event sample { data: bytes[64] }",
    ),
  }),
  NF6050: entry<{ nf: string }>({
    title: "NF sends no events",
    message: (p) => `\`${p.nf}\` declares no events: there is nothing to watch`,
    help: () => "declare one (`event NAME { ... }`) and `emit` it, then load the NF again",
    explain: `\`nfc watch NF\` reads the NF's event ring buffer (pinned at /sys/fs/bpf/nfc/<nf>/events); an NF
without \`event\` declarations has none. Its counters are still readable with \`nfc counters NF\`.

    nfc watch firewall        // wrong: firewall.nf declares no event
    nfc watch heavy_hitter    // right: it emits \`blocked\``,
  }),
  NF6051: entry<{ what: string; why: string }>({
    title: "bad metrics listen address",
    message: (p) => `cannot listen on \`${p.what}\`: ${p.why}`,
    help: () =>
      "give ADDR:PORT, e.g. `--listen 127.0.0.1:9101` (a free port; `0.0.0.0:9101` for every address)",
    explain: `\`nfc metrics --listen ADDR:PORT\` serves the Prometheus exposition at http://ADDR:PORT/metrics.
The address must be an IP address of this host and the port free.

    nfc metrics --listen 9101             // wrong: no address
    nfc metrics --listen 127.0.0.1:9101   // right`,
  }),
};
