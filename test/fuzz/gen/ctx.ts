// The generator's state for one program: its choices so far (globals, structures, headers), the
// features it may use (a KNOWN_OPEN gate can switch some off) and the coverage it produced.
import type { BlockDef, Params } from "../../../lang/blocks/index.js";
import type { HeaderDef } from "../../../lang/headers.js";
import type { Ty } from "../../../lang/types.js";
import type { Coverage } from "./coverage.js";
import type { Names } from "./names.js";
import type { Rand } from "./rand.js";

/** A feature the generator can switch off (test/fuzz/known-open.ts lists those with open failures). */
export type Feature =
  | "events" // `event` declarations and `emit` statements (gen/events.ts)
  | "adversarial-names" // C keywords, kernel/stdlib symbols, generated-name shapes as identifiers
  | "long-nf-name" // an NF name of hundreds of characters
  | "keyword-fields" // nf keywords as struct / header field names
  | "prefix15-names" // global names sharing their first 15+ characters
  | "nested-negation" // -(-x)
  | "unparsed-header" // binding a user header no parse extension leads to
  | "ops-in-loops" // structure operations inside loops of more than 4 iterations
  | "loop-ends-handler" // a for/repeat whose body always ends in a verdict
  | "small-bloom" // bloom filters under 64 bits
  | "late-limits" // (oracle, not generator) a coded limit only `build` reports counts as a limit
  | "config-args" // a config under hash() (passed by address)
  | "user-headers" // header declarations and parse extensions
  | "header-writes" // assignments to header fields
  | "bytes-dynamic-index" // h.b[i] with a non-constant i
  | "loop-verdict" // verdicts inside for/repeat
  | "big-loops" // loops at the 1024-iteration limit
  | "param-max" // structure parameters at their registry maximum
  | "param-min" // structure parameters at their registry minimum
  | "per-cpu"
  | "flow5"
  | "structs"
  | "nonint-config"
  | "deep-nesting"
  | `kind:${string}`;

export interface Global {
  name: string;
  ty: Ty;
  role: "const" | "config";
}

export interface StateG {
  name: string;
  block: BlockDef;
  key: Ty;
  value?: Ty;
  params: Params;
}

export interface Header {
  /** Name used in the source (built-in or user). */
  name: string;
  def: HeaderDef;
  user: boolean;
  /** User headers: whether some parse extension leads to it. */
  parsed?: boolean;
  /** The header declared so that bytes[N] values exist (index.ts bytesCarrier). */
  carrier?: boolean;
}

export interface Gen {
  r: Rand;
  names: Names;
  cov: Coverage;
  hook: "xdp" | "tc ingress" | "tc egress";
  off: ReadonlySet<Feature>;
  consts: Global[];
  configs: Global[];
  structs: (Ty & { kind: "struct" })[];
  headers: Header[];
  states: StateG[];
  counters: string[];
  /** Declared events (gen/events.ts) and the second random stream their choices draw from. */
  events: { name: string; fields: { name: string; ty: Ty }[] }[];
  er: Rand;
  /** Source lines of the declarations. */
  out: string[];
  /** Inside hash(): its argument is passed by address. */
  inArgs: number;
}

export const on = (g: Gen, f: Feature): boolean => !g.off.has(f);
