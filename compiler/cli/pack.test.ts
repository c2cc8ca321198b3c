// The package as npm ships it: `npm pack`, unpacked outside the repository, runs `nfc check`,
// `nfc build` (templates and stdlib headers come from the package) and `nfc fmt`. Dependencies
// are linked from this checkout's node_modules (no registry). Needs `npm run build` first.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "nfc-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(existsSync(join(root, "dist/compiler/cli/main.js")))("npm pack", () => {
  test("the packed nfc checks, builds and formats a program from another directory", () => {
    const pack = spawnSync("npm", ["pack", "--silent", "--pack-destination", dir], {
      cwd: root,
      encoding: "utf8",
    });
    expect(pack.status, pack.stderr).toBe(0);
    const tgz = join(dir, pack.stdout.trim().split("\n").pop()!);
    const nm = join(dir, "app", "node_modules");
    mkdirSync(join(nm, "nfc"), { recursive: true });
    expect(spawnSync("tar", ["xzf", tgz, "-C", join(nm, "nfc"), "--strip-components=1"]).status).toBe(0);
    for (const d of readdirSync(join(root, "node_modules")))
      if (d !== "nfc" && !d.startsWith(".")) symlinkSync(join(root, "node_modules", d), join(nm, d));
    const pkg = JSON.parse(readFileSync(join(nm, "nfc", "package.json"), "utf8")) as { bin: { nfc: string } };
    const app = join(dir, "app");
    writeFileSync(join(app, "x.nf"), readFileSync(join(root, "examples/heavy_hitter.nf")));
    const nfc = (...args: string[]) =>
      spawnSync(process.execPath, [join(nm, "nfc", pkg.bin.nfc), ...args], { cwd: app, encoding: "utf8" });

    const check = nfc("check", "x.nf");
    expect(check.stderr).toBe("");
    expect(check.stdout).toBe("x.nf: ok (0 errors, 0 warnings)\n");
    const build = nfc("build", "x.nf", "-o", "out", "--runtime", "bpf");
    expect(build.status, build.stderr).toBe(0);
    expect(readdirSync(join(app, "out")).sort()).toEqual([
      "heavy_hitter.bpf.c",
      "heavy_hitter.bpf.o",
      "heavy_hitter.manifest.json",
    ]);
    expect(nfc("fmt", "--check", "x.nf").status).toBe(0);
    expect(nfc("--version").stdout.trim()).toBe(
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
    );
    // nothing from the repository leaked in: the package holds no tests and no sources of dist
    const files = spawnSync("tar", ["tzf", tgz], { encoding: "utf8" }).stdout.split("\n");
    expect(files.some((f) => f.endsWith(".test.js") || f.endsWith(".test.ts"))).toBe(false);
    expect(files).toContain("package/compiler/codegen/templates/program.c.hbs");
    expect(files).toContain("package/stdlib/include/nf/common.h");
  }, 120_000);
});
