// `nfc build`'s default (auto) writes `<nf>.kmod.bpf.o` next to the pure object when an operation
// chose kmod: build must say, in one line, that this object needs runtime-kmod to load.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { run, type Io } from "../cli/main.js";

const dir = mkdtempSync(join(tmpdir(), "nfc-note-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): Io & { stdout: string; stderr: string } {
  const o = {
    stdout: "",
    stderr: "",
    out: (s: string) => void (o.stdout += s),
    err: (s: string) => void (o.stderr += s),
    readStdin: () => "",
  };
  return o;
}

test(
  "build names the object that needs runtime-kmod, once, and only when one is written",
  { timeout: 120_000 },
  async () => {
    const hh = io();
    expect(await run(["build", "examples/heavy_hitter.nf", "-o", join(dir, "hh")], hh)).toBe(0);
    const notes = hh.stdout.split("\n").filter((l) => l.startsWith("note:"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^note: heavy_hitter\.kmod\.bpf\.o needs runtime-kmod \(module nfc_runtime, ABI \d+\) to load; here: .+; heavy_hitter\.bpf\.o loads on any kernel \(`nfc load` picks\)$/,
    );
    const fw = io();
    expect(await run(["build", "examples/firewall.nf", "-o", join(dir, "fw")], fw)).toBe(0);
    expect(fw.stdout).not.toContain("note:");
  },
);
