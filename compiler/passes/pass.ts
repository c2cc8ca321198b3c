// The shape of a pass: one file, one entry point, one line of why.
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";
import type { IrProgram } from "../ir/ir.js";

export interface Pass {
  name: string;
  why: string;
  run: (ir: IrProgram, diagnostics: Diagnostic[]) => IrProgram;
}
