// NF42xx codes: the resource model (docs/LANGUAGE.md "Resource model") — kernel limits on what one
// program may hold (maps, map values, memory) and what the verifier will walk (instructions, pending
// branches, jump range). Reported by compiler/ on the program as it will be emitted; defined here so
// the catalogue stays one table. Keep numbers stable once released.
import { entry, type CodeEntry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

export const resourceCodes = {
  NF4200: entry<{ name: string; count: number; max: number; reserved: number }>({
    title: "too many maps in one program",
    message: (p) =>
      `\`${p.name}\` is map ${p.count} of this program; a program may use at most ${p.max} maps besides the ${p.reserved} the loader adds`,
    label: () => "one map too many",
    help: () =>
      "merge tables with the same key into one table of a struct value, or split the function into two programs",
    explain: explainWith(
      "The kernel lets one BPF program use at most 64 maps (MAX_USED_MAPS). nfc counts every map the generated object declares: one per table or sketch (nitro adds its sampling map), `counters` when there are counters, `scratch` when locals move off the stack; two more are kept for the loader (`.rodata`, which holds configs and the stdlib's constant tables, and the test clock of `nfc test` builds). So 62 maps are left.",
      "table t0: hash<u32, u64>(capacity = 64)\n// ... t1 to t62: 63 tables",
      "type Row { a: u64, b: u64 }\ntable rows: hash<u32, Row>(capacity = 64)",
    ),
  }),
  NF4201: entry<{ name: string; what: string; bytes: number; max: number; map: string }>({
    title: "map value too large for its map",
    message: (p) =>
      `\`${p.name}\` needs ${p.what} of ${p.bytes} bytes; a ${p.map} map allows at most ${p.max}`,
    label: (p) => `${p.bytes} bytes`,
    help: () => "use a smaller value type or dimensions, or drop `per_cpu` (a shared value may be 4 MiB)",
    explain: explainWith(
      "The kernel refuses to create a map whose value is too large (E2BIG): a per-CPU value (per_cpu tables and sketches, counters, the scratch map) may be at most 32 KiB (PCPU_MIN_UNIT_SIZE); any other value, or a hash table's key and value together, at most 4 MiB (KMALLOC_MAX_SIZE) less the kernel's element header.",
      "type Big { b: bytes[40000] }\ntable t: hash<u32, Big>(capacity = 16, per_cpu)",
      "type Big { b: bytes[40000] }\ntable t: hash<u32, Big>(capacity = 16)",
    ),
  }),
  NF4202: entry<{ name: string; mib: string; max: number }>({
    title: "program's maps need too much memory",
    message: (p) =>
      `with \`${p.name}\` the program's maps need ${p.mib} MiB per CPU shard; the budget is ${p.max} MiB`,
    label: () => "crosses the memory budget",
    help: () => "lower capacities or sketch dimensions",
    explain: explainWith(
      "nfc budgets 1 GiB of map memory per program (per CPU shard: a per_cpu structure takes this much on every CPU), counted as entries × (key + value) over every map the program declares. Hash and LRU maps are preallocated, so the memory is taken at load time, and an over-large program fails to load with ENOMEM on a smaller machine.",
      "sketch a: count_min<flow5>(rows = 16, width = 4194304)  // 256 MiB\n// ... b, c, d, e: the same",
      "sketch a: count_min<flow5>(rows = 4, width = 1048576)",
    ),
  }),
  NF4203: entry<{ what: string; n: number; max: number }>({
    title: "the verifier would walk too many instructions",
    message: (p) =>
      `${p.what} makes the kernel verifier walk about ${p.n} instructions; its limit is ${p.max}`,
    label: () => "walked once per iteration",
    help: () =>
      "lower the loop's bound, move operations out of the loop, or split the loop's work across packets",
    explain: explainWith(
      "The verifier walks every path of a program, and a loop once per iteration, up to 1,000,000 instructions (BPF_COMPLEXITY_LIMIT_INSNS). nfc estimates the walk from the compiled object: each instruction counts 8 times (branches make the verifier walk code again), times the trip counts of the loops around it that clang kept as loops. The estimate is an upper bound calibrated on the host kernel.",
      "for i in 0..1024 { a.add(i, 1); b.add(i, 1); c.add(i, 1); d.add(i, 1) }",
      "for i in 0..128 { a.add(i, 1); b.add(i, 1); c.add(i, 1); d.add(i, 1) }",
    ),
  }),
  NF4204: entry<{ what: string; n: number; max: number }>({
    title: "too many branches for the verifier in one path",
    message: (p) =>
      `${p.what} leaves about ${p.n} branches for the kernel verifier to come back to; its limit is ${p.max}`,
    label: () => "branches on every iteration",
    help: () => "lower the loop's bound or move the lookups and tests out of the loop",
    explain: explainWith(
      'At every conditional jump whose outcome it does not know (a map lookup that may fail, a test of a packet field), the verifier follows one side and keeps the other for later. Along one path it may keep at most 8,192 ("The sequence of 8193 jumps is too complex"). A loop the verifier walks iteration by iteration keeps the branches of every iteration: nfc counts the conditional jumps of the compiled object times the trip counts of the loops around them.',
      "for i in 0..64 { for j in 0..1024 { if s.estimate(i + j) > 3 { hits += 1 } } }",
      "for j in 0..512 { if s.estimate(j) > 3 { hits += 1 } }",
    ),
  }),
  NF4205: entry<{ n: number; max: number }>({
    title: "handler too large for BPF jumps",
    message: (p) =>
      `the handler has a jump over about ${p.n} BPF instructions, and this statement is out of its reach (${p.max} at most)`,
    label: () => "beyond the jump range",
    help: () =>
      "move rules into tables (one lookup instead of many `if`s), or split the function into two programs",
    explain: explainWith(
      'A BPF jump has a signed 16-bit offset, so no branch may cross more than 32,767 instructions, and the kernel adds instructions when it inlines map lookups ("insn N cannot be patched due to 16-bit range"). nfc measures every jump of the compiled handler, adding 8 instructions per helper call it crosses, and reports the first statement beyond 32,767 instructions from the start of the longest jump (often the handler\'s first exit, which jumps to the shared `return` at its end).',
      "on packet { /* 5,000 lines of if-rules */ pass }",
      "table rules: hash<u32, u8>(capacity = 65536)\non packet { let ip = ipv4 else { pass }\n  if rules.contains(ip.src as u32) { drop }\n  pass }",
    ),
  }),
  NF4206: entry<{ n: number; max: number }>({
    title: "generated code needs more than the BPF stack",
    message: (p) => `the compiled handler needs about ${p.n} bytes of stack here; BPF allows ${p.max}`,
    label: () => "deepest stack use",
    help: () =>
      "split the handler's work into fewer values live at once (fewer nested loops or operations per branch), or keep large values in a table",
    explain: explainWith(
      'BPF programs have 512 bytes of stack. nfc keeps user locals within a budget and moves the largest generated temporaries to a per-CPU scratch map, but clang also spills registers and keeps temporaries of its own, which nfc cannot see in the C. When clang refuses the C for its stack ("Looks like the BPF stack limit is exceeded"), nfc compiles it once more with a larger limit, finds the deepest stack access in that object and reports it at the statement it belongs to.',
      "on packet { /* hundreds of structure operations in nested loops and branches */ pass }",
      "on packet { /* the same work split over fewer nested branches */ pass }",
    ),
  }),
} satisfies Record<string, CodeEntry<any>>;
