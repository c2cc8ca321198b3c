// NF4xxx codes: target limits (what the kernel verifier or the maps cannot take). Reported by
// lang/check. Keep numbers stable once released.
import { entry, type CodeEntry } from "./diagnostic.js";
import { explainWith } from "./codes-types.js";

export const limitCodes = {
  NF4001: entry<{ n: string; max: number }>({
    title: "loop has too many iterations",
    message: (p) => `this loop runs ${p.n} times; the limit is ${p.max}`,
    label: (p) => `${p.n} iterations`,
    help: (p) => `split the work or shrink the bound to at most ${p.max}`,
    explain: explainWith(
      "The kernel verifier walks every iteration; loops are capped at 1024 iterations each.",
      "for i in 0..4096 { }",
      "for i in 0..1024 { }",
    ),
  }),
  NF4002: entry<{ n: string; max: number }>({
    title: "nested loops have too many iterations",
    message: (p) => `these nested loops run ${p.n} times in total; the limit is ${p.max}`,
    label: () => "innermost loop",
    help: (p) => `reduce the bounds so their product is at most ${p.max}`,
    explain: explainWith(
      "All nested loops together are capped at 65536 iterations.",
      "for i in 0..1024 { for j in 0..1024 { } }",
      "for i in 0..256 { for j in 0..256 { } }",
    ),
  }),
  NF4003: entry<{ param: string; value: string; suggest: number }>({
    title: "size must be a power of two",
    message: (p) => `\`${p.param}\` must be a power of two, but is ${p.value}`,
    label: () => "not a power of two",
    help: (p) => `use \`${p.param} = ${p.suggest}\``,
    explain: explainWith(
      "These sizes are indexed with a mask (`h & (size - 1)`), which only works for powers of two.",
      "sketch s: count_min<flow5>(rows = 4, width = 1000)",
      "sketch s: count_min<flow5>(rows = 4, width = 1024)",
    ),
  }),
  NF4004: entry<{ param: string; value: string; min: string; max: string }>({
    title: "parameter out of range",
    message: (p) => `\`${p.param}\` is ${p.value}, outside the allowed range ${p.min} to ${p.max}`,
    label: (p) => `allowed: ${p.min} to ${p.max}`,
    help: (p) => `choose \`${p.param}\` between ${p.min} and ${p.max}`,
    explain: explainWith(
      "Structure sizes must be at least 1 and within the kernel's map limits (at most 2^24 entries).",
      "table t: hash<ip4, u64>(capacity = 0)",
      "table t: hash<ip4, u64>(capacity = 1024)",
    ),
  }),
  NF4005: entry<{ name: string; mib: string; max: number }>({
    title: "structure too large",
    message: (p) => `\`${p.name}\` needs about ${p.mib} MiB; the limit is ${p.max} MiB per structure`,
    label: () => "too large",
    help: () => "lower its capacity or dimensions",
    explain: explainWith(
      "One structure may use at most 256 MiB (per CPU shard).",
      "sketch s: count_min<flow5>(rows = 16, width = 16777216)",
      "sketch s: count_min<flow5>(rows = 4, width = 65536)",
    ),
  }),
  NF4006: entry<{ name: string; bytes: number; max: number }>({
    title: "stack budget exceeded",
    message: (p) =>
      `local \`${p.name}\` brings the handler's locals to ${p.bytes} bytes; the BPF stack budget is ${p.max}`,
    label: (p) => `${p.bytes} bytes of locals up to here`,
    help: () => "keep large values in a table (e.g. a one-entry `array`) instead of locals",
    explain: explainWith(
      "BPF programs have 512 bytes of stack; nfc keeps locals within 256 so the generated code has room.",
      "var a: bytes[200] = ...\nvar b: bytes[200] = ...",
      "table scratch: array<u32, Big>(capacity = 1)",
    ),
  }),
  NF4007: entry<{ n: string; max: number }>({
    title: "byte array length out of range",
    message: (p) => `\`bytes[${p.n}]\` has an invalid length; lengths are 1..=${p.max}`,
    label: () => "invalid length",
    help: (p) => `use a length between 1 and ${p.max}`,
    explain: explainWith(
      "Byte arrays hold at least one byte.",
      "header h { pad: bytes[0] }",
      "header h { pad: bytes[1] }",
    ),
  }),
  // NF41xx: limits of a backend (reported by compiler/, defined here so the catalogue is one table).
  NF4101: entry<{ kind: string; name: string }>({
    title: "structure kind not available on this backend",
    message: (p) => `\`${p.kind}\` (\`${p.name}\`) has no implementation for the plain-BPF runtime yet`,
    label: () => "not available with `--runtime bpf`",
    help: () => "use a kind listed in the language reference's State table, or another `--runtime`",
    explain: explainWith(
      "Every structure kind is checked by the registry, but each backend implements kinds separately; a kind without a BPF implementation cannot be built for that backend.",
      "sketch s: some_new_kind<flow5>(...)  // --runtime bpf",
      "sketch s: count_min<flow5>(rows = 4, width = 1024)",
    ),
  }),
  NF4102: entry<{ name: string; bytes: number; max: number; perCpu: boolean }>({
    title: "ordered arena larger than one map value",
    message: (p) =>
      `the arena of \`${p.name}\` needs ${p.bytes} bytes; one ${p.perCpu ? "per-CPU " : ""}array-map value holds at most ${p.max}`,
    label: () => "too large for one map value",
    help: (p) =>
      p.perCpu
        ? "lower `capacity`, use smaller keys/values, or drop `per_cpu` (a shared value may be 4 MiB)"
        : "lower `capacity` or use smaller keys/values",
    explain: explainWith(
      "An `ordered` table keeps its whole skip list (every node and the free list) in ONE array-map value, so that a shared table is updated under one bpf_spin_lock. The kernel limits a value to 4 MiB (KMALLOC_MAX_SIZE), and a per-CPU value to 32 KiB (PCPU_MIN_UNIT_SIZE).",
      "table t: ordered<u64, bytes[64]>(capacity = 65535)",
      "table t: ordered<u64, u64>(capacity = 65535)",
    ),
  }),
  NF4120: entry<{ name: string; kind: string; capacity: number; max: number }>({
    title: "per-CPU table too large to load",
    message: (p) =>
      `\`${p.name}\` is a per-CPU \`${p.kind}\` of ${p.capacity} entries; a per-CPU table holds at most ${p.max}`,
    label: () => "too many per-CPU entries",
    help: (p) =>
      `lower \`capacity\` to ${p.max} or less, or drop \`per_cpu\` (a shared table; \`add\` is atomic)`,
    explain: explainWith(
      "The kernel allocates a per-CPU array or hash map element by element from per-CPU memory: at 2^24 entries loading takes minutes (over 120 s on a two-CPU host) and can fail. Per-CPU array, hash and lru tables hold at most 2^20 entries.",
      "table hits: array<u32, u64>(capacity = 16777216, per_cpu)",
      "table hits: array<u32, u64>(capacity = 1048576, per_cpu)",
    ),
  }),
  NF4103: entry<{ name: string; kind: string; bytes: number; max: number }>({
    title: "per-CPU queue larger than one per-CPU value",
    message: (p) =>
      `\`${p.name}\` (\`${p.kind}\`, per_cpu) needs ${p.bytes} bytes in one per-CPU map value; the kernel allows at most ${p.max}`,
    label: () => "too large for a per-CPU value",
    help: () =>
      "lower `capacity` or `priorities`, use a smaller element type, or drop `per_cpu` (a shared queue's value may be 4 MiB)",
    explain: explainWith(
      "A fifo or pq keeps the whole queue (header, per-rank lists, bitmap and every element slot) in ONE array-map value, so each operation is one lookup. The kernel limits a per-CPU value to 32 KiB (PCPU_MIN_UNIT_SIZE); a shared value may be 4 MiB.",
      "queue q: pq<flow5>(priorities = 4096, capacity = 1024, per_cpu)",
      "queue q: pq<flow5>(priorities = 64, capacity = 1024, per_cpu)",
    ),
  }),
} satisfies Record<string, CodeEntry<any>>;
