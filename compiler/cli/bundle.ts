// `npm run build`, after tsc: bundles the CLI (dist/compiler/cli/main.js and everything it imports,
// commander included) into dist/nfc/, the package's bin. One file to load instead of ~90 modules
// resolved one by one; the back end stays in chunks loaded only by the commands that need it
// (`import()` in main.ts), prettier and handlebars stay packages. `npm run bench -- check` measures
// what it buys.
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { packageRoot } from "../toolchain/tools.js";

const root = packageRoot();
const outdir = join(root, "dist", "nfc");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "dist", "compiler", "cli", "main.js")],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir,
  external: ["prettier", "handlebars"],
  // commander is CommonJS: its `require("node:events")` needs a `require` in an ES module
  banner: {
    js: 'import { createRequire as nfcCreateRequire } from "node:module";\nconst require = nfcCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
for (const f of [join(outdir, "main.js"), join(root, "dist", "compiler", "cli", "main.js")])
  chmodSync(f, 0o755);
