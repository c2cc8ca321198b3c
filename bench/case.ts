// One row of `npm run bench` (compare.ts): a generated program against its hand-written twin.
import type { LoadedProgram } from "../compiler/bench/measure.js";
import type { Trace } from "../compiler/bench/trace.js";

export interface BenchCase {
  name: string;
  nf: string;
  hwSource: string;
  defines: Record<string, string>;
  /** has a `threshold` config */
  threshold: boolean;
  /** Decisions depend on the clock (bpf_ktime_get_ns): two runs of one program may differ. */
  timed?: boolean;
  /** Fills a loaded program's state before measuring (cuckoo load); returns a line for the log. */
  prefill?: (trace: Trace, program: LoadedProgram, side: "generated" | "handwritten") => Promise<string>;
}
