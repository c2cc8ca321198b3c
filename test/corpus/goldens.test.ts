// Diagnostics goldens per error family: how messages read, for review. The rendered text of a few
// representative invalid programs per family (human + short + JSON), stored beside this file.
// Update deliberately with `npx vitest run test/corpus/goldens.test.ts -u` and read the diff.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { diag } from "../../lang/diagnostics/catalogue.js";
import { renderHuman, renderJson, renderShort } from "../../lang/diagnostics/render.js";
import { checkSource } from "../../lang/index.js";

const dir = join(import.meta.dirname, "invalid");

const FAMILIES: Record<string, string[]> = {
  "NF2-names-and-types": [
    "NF2001-unknown-name",
    "NF2006-unknown-operation",
    "NF2008-mismatched-types",
    "NF2020-key-type",
    "NF2002-duplicate-name",
  ],
  "NF3-nf-semantics": [
    "NF3001-header-absent",
    "NF3003-missing-verdict",
    "NF3004-let-else-falls-through",
    "NF3007-counter-read",
    "NF3010-read-only-field",
  ],
  "NF4-target-limits": [
    "NF4001-loop-too-long",
    "NF4003-not-power-of-two",
    "NF4006-stack-budget",
    "NF4005-too-large",
  ],
};

function render(file: string): string {
  const source = readFileSync(join(dir, file + ".nf"), "utf8");
  const { diagnostics } = checkSource(source, file + ".nf");
  const d = diagnostics.find((x) => x.code === file.slice(0, 6));
  if (!d)
    throw new Error(
      `${file}: expected ${file.slice(0, 6)}, got ${diagnostics.map((x) => x.code).join(", ")}`,
    );
  return [`== ${file}`, renderHuman(d, source), renderShort(d), renderJson(d), ""].join("\n");
}

describe("diagnostics goldens", () => {
  for (const [family, files] of Object.entries(FAMILIES)) {
    test(family, async () => {
      await expect(files.map(render).join("\n")).toMatchFileSnapshot(`./__golden__/${family}.txt`);
    });
  }

  test("NF5-toolchain", async () => {
    // Toolchain diagnostics have no source span: they render without an excerpt.
    const ds = [
      diag("NF5001", undefined, { tried: "clang-19, clang" }),
      diag("NF5006", undefined, { path: "build/nfc-runner" }),
    ];
    await expect(
      ds.map((d) => [renderHuman(d, ""), renderShort(d), renderJson(d)].join("\n")).join("\n\n"),
    ).toMatchFileSnapshot("./__golden__/NF5-toolchain.txt");
  });
});
