// `npm run build`, after tsc: bundles the CLI (dist/compiler/cli/main.js and everything it imports,
// commander included) into dist/nfc/, the package's bin. One file to load instead of ~90 modules
// resolved one by one; the back end stays in chunks loaded only by the commands that need it
// (`import()` in main.ts), prettier, handlebars and prom-client stay packages. `npm run bench -- check` measures
// what it buys. Without esbuild installed (a node_modules older than package.json), the bin is a
// one-line entry into the unbundled CLI: slower to start, the same commands.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../toolchain/tools.js";

const root = packageRoot();
const outdir = join(root, "dist", "nfc");
rmSync(outdir, { recursive: true, force: true });
const esbuild = await import("esbuild").catch(() => undefined);
if (esbuild !== undefined) {
  await esbuild.build({
    entryPoints: [join(root, "dist", "compiler", "cli", "main.js")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir,
    external: ["prettier", "handlebars", "prom-client"],
    // commander is CommonJS: its `require("node:events")` needs a `require` in an ES module
    banner: {
      js: 'import { createRequire as nfcCreateRequire } from "node:module";\nconst require = nfcCreateRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
} else {
  console.error("bundle: esbuild is not installed (run `npm ci`); dist/nfc/main.js runs the unbundled CLI");
  mkdirSync(outdir, { recursive: true });
  writeFileSync(
    join(outdir, "main.js"),
    '#!/usr/bin/env node\nimport { run } from "../compiler/cli/main.js";\nrun(process.argv.slice(2)).then((c) => process.exit(c));\n',
  );
}
for (const f of [join(outdir, "main.js"), join(root, "dist", "compiler", "cli", "main.js")])
  chmodSync(f, 0o755);
