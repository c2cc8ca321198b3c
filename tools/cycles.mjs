#!/usr/bin/env node
// Import cycles of the TypeScript sources (not tests): `npm run cycles`. Reads every .ts under
// lang/, compiler/ and bench/ (minus *.test.ts), follows relative imports (type-only ones too: a
// cycle of types is still a knot to read), and prints each strongly connected component of more
// than one file, largest first. Exit code 0 always: this is evidence, not a gate.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const DIRS = ["lang", "compiler", "bench"];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const files = DIRS.flatMap((d) => walk(join(ROOT, d), []));
const known = new Set(files);
const IMPORT = /(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const targets = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2]).replace(/\.js$/, ".ts");
    const target = resolve(dirname(file), spec);
    if (known.has(target)) targets.add(target);
  }
  edges.set(file, [...targets].sort());
}

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1) components.push(comp.map((f) => relative(ROOT, f)).sort());
  }
}
for (const file of [...files].sort()) if (!idx.has(file)) connect(file);

components.sort((a, b) => b.length - a.length || a[0].localeCompare(b[0]));
console.log(`${files.length} files, ${components.length} import cycle(s)`);
components.forEach((comp, i) => {
  console.log(`cycle ${i + 1}: ${comp.length} files`);
  for (const f of comp) console.log(`  ${f}`);
});
