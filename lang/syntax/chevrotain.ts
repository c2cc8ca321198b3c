// chevrotain, loaded on first use (a source with a mistake: the recovering lexer and parser) from
// the single-file bundle the package ships. Well-formed programs never load it (~50 ms of module
// compilation in every `nfc check`). The package's entry point is its unbundled ESM build
// (hundreds of files with lodash-es, ~0.35 s); the bundle is the same version and API, found from
// the resolved entry so it follows whatever npm installed, and required synchronously (Node >=
// 20.19 loads an ES module by `require`) so that `parse` stays synchronous.
import type * as Chevrotain from "chevrotain";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { allTokens, NOT_APPLICABLE, SKIPPED } from "./tokens.js";

let loaded: typeof Chevrotain | undefined;

/** chevrotain, with tokens.ts's definitions handed over (its own NA and SKIPPED markers). */
export function chevrotain(): typeof Chevrotain {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const entry = require.resolve("chevrotain"); // <pkg>/lib/src/api.js
  const c = require(join(dirname(entry), "..", "chevrotain.mjs")) as typeof Chevrotain;
  const seen = new Set<Chevrotain.TokenType>();
  const adopt = (t: Chevrotain.TokenType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.PATTERN === NOT_APPLICABLE) t.PATTERN = c.Lexer.NA;
    if (t.GROUP === SKIPPED) t.GROUP = c.Lexer.SKIPPED;
    for (const cat of t.CATEGORIES ?? []) adopt(cat);
  };
  allTokens.forEach(adopt);
  loaded = c;
  return c;
}
