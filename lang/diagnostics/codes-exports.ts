// Sketch exports (`export` structure argument, docs/LANGUAGE.md "Exporting sketches"): NF3070-NF3074.
// What the NF author declares `nfc metrics` reads from a sketch. Keep numbers stable once released.
import { entry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

const KINDS = "topk (its entries), hll (groups), count_min, count_sketch and nitro (estimates of keys)";

export const exportCodes = {
  NF3070: entry<{ name: string; kind: string }>({
    title: "structure cannot be exported",
    message: (p) => `\`${p.name}\` is a ${p.kind}: it has no value \`nfc metrics\` can export`,
    label: () => "`export` on a structure that cannot export",
    help: () => `remove \`export\`; the sketches that export are ${KINDS}`,
    explain: explainWith(
      `\`export\` in a sketch's arguments makes \`nfc metrics\` publish it as Prometheus gauges. Only ${KINDS} have such values; tables, queues and bloom filters do not (their fill level is exported for every table without asking).`,
      "sketch seen: bloom<ip4>(bits = 1024, hashes = 3, export)",
      "sketch talkers: topk<ip4>(k = 8, export)",
    ),
  }),
  NF3071: entry<{ name: string }>({
    title: "top-k export takes no key",
    message: (p) => `\`${p.name}\` is a topk: \`export\` publishes all its entries and takes no key`,
    label: () => "a key on a topk export",
    help: () => "write a bare `export`",
    explain: explainWith(
      "A topk export publishes every entry the sketch holds, labelled by key (`nfc_sketch_topk{key=...}`), so it names no keys.",
      "sketch talkers: topk<ip4>(k = 8, export = 10.0.0.1)",
      "sketch talkers: topk<ip4>(k = 8, export)",
    ),
  }),
  NF3072: entry<{ name: string; kind: string; key: string }>({
    title: "estimate export needs a key",
    message: (p) => `\`${p.name}\` is a ${p.kind}: \`export\` must name the key whose estimate is published`,
    label: () => "no key",
    help: (p) => `write \`export = KEY\` (a constant ${p.key}), once per key`,
    explain: explainWith(
      "A count-min, count sketch or nitro sketch answers estimates of keys, so an export names each key with `export = KEY` (repeat the argument for more keys); `nfc metrics` publishes `nfc_sketch_estimate{key=...}` for each.",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export)",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 10.0.0.1, export = 10.0.0.2)",
    ),
  }),
  NF3073: entry<{ name: string; expected: string; found: string }>({
    title: "export key of the wrong type",
    message: (p) => `an export of \`${p.name}\` names ${p.expected}, found ${p.found}`,
    label: (p) => `expected ${p.expected}`,
    help: () =>
      "export keys are constants of the sketch's key type (integers, ip4, ip6, mac); hll exports name groups (integers below `groups`)",
    explain: explainWith(
      "An export key is checked against the sketch's key type: a count_min<ip4> exports ip4 addresses, a count_min<u16> integers that fit in 16 bits. Struct keys (flow5, user types) cannot be written as constants; export them from the command line with `nfc metrics --export NF:SKETCH:KEY`. For hll the value is a group number below `groups`.",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 80)",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 10.0.0.80)",
    ),
  }),
  NF3074: entry<{ key: string }>({
    title: "export key repeated",
    message: (p) => `\`${p.key}\` is exported twice`,
    label: () => "exported again here",
    help: () => "remove one of the two",
    explain: explainWith(
      "Each key (or hll group) is exported once: two series with the same labels would collide in Prometheus.",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 10.0.0.1, export = 10.0.0.1)",
      "sketch hits: count_min<ip4>(rows = 4, width = 1024, export = 10.0.0.1)",
    ),
  }),
};
