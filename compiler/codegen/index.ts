// Codegen entry: IrProgram → C text (view model, then the template).
import type { IrProgram } from "../ir/ir.js";
import { renderProgram } from "./render.js";
import { buildView } from "./view.js";

export function generateC(ir: IrProgram): string {
  return renderProgram(buildView(ir));
}

export { buildView };
