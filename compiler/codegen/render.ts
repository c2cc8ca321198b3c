// Renders a view with Handlebars (noEscape: C is not HTML; strict: a missing view field is an
// error, not an empty string). Templates live in ./templates; when running from dist/ (tsc does
// not copy .hbs files) or from the bundled CLI (dist/nfc) they are read from the package's
// compiler/codegen/templates.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { packageRoot } from "../toolchain/tools.js";
import type { View } from "./view.js";

const cache = new Map<string, Handlebars.TemplateDelegate>();

function templatePath(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, "templates", name),
    join(packageRoot(), "compiler", "codegen", "templates", name),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`template ${name} not found (looked in ${candidates.join(", ")})`);
  return found;
}

export function template(name: string): Handlebars.TemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    t = Handlebars.compile(readFileSync(templatePath(name), "utf8"), { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t;
}

export function renderProgram(view: View): string {
  return template("program.c.hbs")(view);
}
