// Deploy errors: an NF60xx (or NF5xxx kernel) diagnostic carried as an exception through the
// deploy steps, rendered by the CLI (exit code 4) or thrown to API callers.
import { diag, type Code, type ParamsOf } from "../../lang/diagnostics/catalogue.js";
import type { Diagnostic } from "../../lang/diagnostics/diagnostic.js";

export class DeployError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.code}: ${diagnostic.message}`);
  }
}

/** Throws the catalogue's `code` with `params` (no span: deploy errors have no source location). */
export function deployFail<C extends Code>(code: C, params: ParamsOf<C>): never {
  throw new DeployError(diag(code, undefined, params));
}
