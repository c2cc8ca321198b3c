// Shrinks one failing program (not part of CI): NFC_FUZZ_SHRINK=/path/file.nf [NFC_FUZZ_MATCH=text]
// keeps the stage and error code (and the text, if given) of the original failure; writes
// FILE.min.nf. See test/fuzz/README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runDifferential } from "../../compiler/difftest/engine.js";
import { firstError, stageOf } from "./run.js";
import { shrink } from "./shrink.js";

const file = process.env.NFC_FUZZ_SHRINK;

async function signature(src: string): Promise<string> {
  const rep = await runDifferential("shrink.nf", src, {
    packets: Number(process.env.NFC_FUZZ_PACKETS ?? 300),
    seed: 1,
    stateEvery: 100,
    maxDetails: 1,
  });
  const e = firstError(rep.diagnostics);
  if (e) return `${stageOf(e)} ${e.code} ${e.message}`;
  return rep.differences ? `diff ${rep.details.map((d) => d.kind + " " + d.detail).join("\n")}` : "ok";
}

describe.runIf(file)("shrink", () => {
  test("shrink one program", async () => {
    const src = readFileSync(file!, "utf8");
    const sig = await signature(src);
    const key = sig.split(" ").slice(0, 2).join(" ");
    const match = process.env.NFC_FUZZ_MATCH;
    console.log(`original: ${sig.slice(0, 300)}`);
    expect(sig).not.toBe("ok");
    const out = await shrink(
      src,
      async (s) => {
        const t = await signature(s).catch((e: Error) => `crash ${e.message}`);
        return t.startsWith(key) && (!match || t.includes(match));
      },
      (l) => console.log(l),
    );
    writeFileSync(file!.replace(/\.nf$/, ".min.nf"), out);
    console.log(out);
  }, 3_600_000);
});
