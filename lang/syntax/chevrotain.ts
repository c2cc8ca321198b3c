// chevrotain, loaded from the single-file bundle the package ships. The package's entry point is
// its unbundled ESM build (hundreds of files with lodash-es): ~0.35 s of module loading in every
// `nfc` process, more than checking a 1,000-line program. The bundle is the same version and API;
// its path is found from the resolved entry, so it follows whatever npm installed.
import type * as Chevrotain from "chevrotain";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const entry = createRequire(import.meta.url).resolve("chevrotain"); // <pkg>/lib/src/api.js
const chevrotain = (await import(
  pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href
)) as typeof Chevrotain;

export const { createToken, Lexer, CstParser } = chevrotain;
