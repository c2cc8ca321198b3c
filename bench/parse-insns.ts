// Verified instructions (the verifier's "processed N insns") of every example, three ways: the
// count recorded before the specialised parser (bench/parse-insns-before.txt), nfc's object now,
// and the same generated handler on a hand-written parser of the same headers
// (bench/handwritten/parse_hw.h, the `nf_parse` call swapped for `hw_parse_hdrs`). Root.
//   npm run build && node dist/bench/parse-insns.js [--out bench/parse-insns.txt]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, stdlibInclude } from "../compiler/api.js";
import { objectStats } from "../compiler/cli/stats.js";
import { compileBpf } from "../compiler/toolchain/clang.js";
import { packageRoot } from "../compiler/toolchain/tools.js";

const root = packageRoot();

/** example -> verified insns, from the table recorded before the change. */
function before(): Map<string, number> {
  const rows = readFileSync(join(root, "bench", "parse-insns-before.txt"), "utf8").split("\n");
  return new Map(
    rows
      .filter((l) => /^[a-z_]+\s+\d+\s+\d+/.test(l))
      .map((l) => [l.split(/\s+/)[0]!, Number(l.split(/\s+/)[2])]),
  );
}

/** The generated C with its nf_parse call on the hand-written parser. */
export function withHandwrittenParser(c: string): string {
  const swapped = c
    .replace(/\bnf_parse\(&h, /, "hw_parse_hdrs(&h, ")
    .replace('#include "nf/nf.h"\n', '#include "nf/nf.h"\n#include "parse_hw.h"\n');
  if (swapped === c) throw new Error("parse-insns: no nf_parse call to swap");
  return swapped;
}

async function verified(name: string, object: Uint8Array): Promise<number> {
  const [s] = await objectStats([{ file: `${name}.bpf.o`, object }]);
  if (!s || !("lines" in s))
    throw new Error(
      `parse-insns: ${name} did not load: ${s && "diagnostic" in s ? s.diagnostic.message : "?"}`,
    );
  return s.lines[0]!.verified;
}

async function main(): Promise<void> {
  const outIdx = process.argv.indexOf("--out");
  const out = outIdx >= 0 ? process.argv[outIdx + 1] : undefined;
  const was = before();
  const lines = [
    "# verified instructions (bpf_prog_info.verified_insns) per example, pure BPF object, this kernel",
    "# before: bench/parse-insns-before.txt (generic nf_parse); after: nfc now; hand-written: the same",
    "# handler on bench/handwritten/parse_hw.h (a straight parse of the same headers, same rules)",
    "# command: npm run build && node dist/bench/parse-insns.js",
    `${"example".padEnd(16)} ${"before".padStart(8)} ${"after".padStart(8)} ${"hand-written".padStart(12)} ${"before/after".padStart(12)} ${"hand/after".padStart(10)}  nf_parse want`,
  ];
  for (const f of readdirSync(join(root, "examples"))
    .filter((x) => x.endsWith(".nf"))
    .sort()) {
    const name = f.replace(/\.nf$/, "");
    const r = await compile(
      { file: f, source: readFileSync(join(root, "examples", f), "utf8") },
      { runtime: "bpf" },
    );
    if (!r.object || !r.c) throw new Error(`parse-insns: ${f} does not build`);
    const after = await verified(name, r.object);
    const hw = r.c.includes("nf_parse(&h, ")
      ? compileBpf(withHandwrittenParser(r.c), {
          name: `${name}_hw`,
          includeDirs: [stdlibInclude(), join(root, "bench", "handwritten")],
          werror: true,
        })
      : undefined;
    if (hw && !hw.object)
      throw new Error(
        `parse-insns: ${name} with the hand-written parser: ${hw.diagnostics.map((d) => d.message).join("; ")}`,
      );
    const hand = hw?.object ? await verified(`${name}_hw`, hw.object) : after;
    const b = was.get(name);
    const want = /nf_parse\(&h, [^,]+, [^,]+, ([^)]+)\)/.exec(r.c)?.[1] ?? "(no parse)";
    lines.push(
      `${name.padEnd(16)} ${String(b ?? "-").padStart(8)} ${String(after).padStart(8)} ${String(hand).padStart(12)} ${(b ? (b / after).toFixed(2) : "-").padStart(12)} ${(hand / after).toFixed(2).padStart(10)}  ${want}`,
    );
  }
  const text = `${lines.join("\n")}\n`;
  process.stdout.write(text);
  if (out) writeFileSync(out, text);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
