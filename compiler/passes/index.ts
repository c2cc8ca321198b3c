// The pass list: the middle end's table of contents. Order matters and is explained per line.
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import type { IrProgram } from "../ir/ir.js";
import { constFold } from "./const-fold.js";
import { counterHoist } from "./counter-hoist.js";
import { deadLocals } from "./dead-locals.js";
import { hashCse } from "./hash-cse.js";
import { loopOnce } from "./loop-once.js";
import { mapLimits } from "./map-limits.js";
import type { Pass } from "./pass.js";
import { parseSet } from "./parse-set.js";
import { scopeLocals } from "./scope-locals.js";
import { stackBudget } from "./stack.js";
import { valueHoist } from "./value-hoist.js";

export const PASSES: readonly Pass[] = [
  constFold, // first: later passes see the code that will actually be emitted
  loopOnce, // after folding (a folded branch may make a body always return); before dead-locals
  hashCse, // before dead-locals: a reused hash leaves its duplicate unread
  valueHoist, // before dead-locals: the per-operation index temporaries become unread
  deadLocals, // after folding: folded branches may leave locals unread
  parseSet, // after folding: dead branches no longer pull headers into the parse set
  counterHoist, // one counter lookup in the prologue
  scopeLocals, // after every pass that adds or reuses locals: scopes follow the final uses
  stackBudget, // may add the scratch map
  mapLimits, // last: counts the maps the object will really declare
];

export function runPasses(
  ir: IrProgram,
  passes: readonly Pass[] = PASSES,
): { ir: IrProgram; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let cur = ir;
  for (const p of passes) cur = p.run(cur, diagnostics);
  return { ir: cur, diagnostics };
}

export type { Pass };
