// The VM tier survives archive drift: runtime-kmod/vm/resolve-kernels.sh takes the pinned kernel
// set while it is coherent (image, headers, kbuild, source of one version, cached or in the
// archive) and otherwise the newest coherent one. Here the archive is simulated: a fake apt-cache
// answers `search --names-only` and `madison` from a list of "package version" lines, exactly the
// two queries the resolver makes. The last test asks the real archive (Debian's, via apt-cache).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { VM_DIR } from "./vm-tier.js";

const work = mkdtempSync(join(tmpdir(), "nfc-resolve-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FAKE_APT_CACHE = `#!/usr/bin/env bash
# answers from $FAKE_ARCHIVE ("package version" lines); options (-o X) are ignored
args=(); while (($#)); do if [[ "$1" == -o ]]; then shift 2; else args+=("$1"); shift; fi; done
set -- "\${args[@]}"
case "$1" in
  search) awk '{print $1}' "$FAKE_ARCHIVE" | sort -u | grep -E "$3" | sed 's/$/ - fake/' ;;
  madison) shift; for p in "$@"; do awk -v p="$p" '$1 == p {print p " | " $2 " | fake"}' "$FAKE_ARCHIVE"; done ;;
  *) exit 100 ;;
esac
`;
const fake = join(work, "apt-cache");
writeFileSync(fake, FAKE_APT_CACHE, { mode: 0o755 });

/** Archive lines for a coherent 6.1 set at one ABI and version. */
const set61 = (abi: string, ver: string): string[] => [
  `linux-image-${abi}-amd64 ${ver}`,
  `linux-headers-${abi}-amd64 ${ver}`,
  `linux-headers-${abi}-common ${ver}`,
  `linux-kbuild-6.1 ${ver}`,
  `linux-source-6.1 ${ver}`,
];
const set612 = (rel: string, ver: string): string[] => [
  `linux-image-${rel}-amd64 ${ver}`,
  `linux-headers-${rel}-amd64 ${ver}`,
  `linux-headers-${rel}-common ${ver}`,
  `linux-kbuild-${rel} ${ver}`,
];
const OK_612 = set612("6.12.95+deb12", "6.12.95-1~bpo12+1");

let n = 0;
function resolve(archive: string[], opts: { pin61?: string; pin612?: string; cached?: string[] } = {}) {
  const dir = join(work, `case${n++}`);
  const debs = join(dir, "debs");
  mkdirSync(debs, { recursive: true });
  writeFileSync(join(dir, "archive"), archive.join("\n") + "\n");
  for (const line of opts.cached ?? []) {
    const [pkg, ver] = line.split(" ");
    writeFileSync(join(debs, `${pkg}_${ver!.replace(":", "%3a")}_amd64.deb`), "");
  }
  const r = spawnSync(
    "bash",
    [join(VM_DIR, "resolve-kernels.sh"), opts.pin61 ?? "6.1.0-56", opts.pin612 ?? "6.12.95+deb12", debs],
    { env: { ...process.env, NFC_APT_CACHE: fake, FAKE_ARCHIVE: join(dir, "archive") }, encoding: "utf8" },
  );
  const vars: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/^(\w+)=(.*)$/gm)) vars[m[1]!] = m[2]!.replace(/\\(.)/g, "$1");
  return { status: r.status, vars, stderr: r.stderr };
}

describe("resolve-kernels.sh picks a coherent kernel set from a moving archive", () => {
  test("the pinned set while it is coherent, even when newer ones exist", () => {
    const r = resolve([...set61("6.1.0-56", "6.1.192-2"), ...set61("6.1.0-57", "6.1.192-3"), ...OK_612]);
    expect(r.status).toBe(0);
    expect(r.vars).toMatchObject({ K61_ABI: "6.1.0-56", K61_VER: "6.1.192-2", K61_WHY: "pinned" });
    expect(r.vars).toMatchObject({
      K612_REL: "6.12.95+deb12",
      K612_VER: "6.12.95-1~bpo12+1",
      K612_WHY: "pinned",
    });
  });

  test("pinned image still there but its kbuild version gone (the real failure): newest coherent", () => {
    const archive = [
      ...set61("6.1.0-56", "6.1.192-2").filter((l) => !l.startsWith("linux-kbuild-6.1 ")),
      ...set61("6.1.0-57", "6.1.192-3"),
      ...OK_612,
    ];
    const r = resolve(archive);
    expect(r.status).toBe(0);
    expect(r.vars.K61_ABI).toBe("6.1.0-57");
    expect(r.vars.K61_VER).toBe("6.1.192-3");
    expect(r.vars.K61_WHY).toContain("linux-kbuild-6.1=6.1.192-2 missing");
  });

  test("pinned ABI gone; the newest ABI incoherent (no source at its version): the next coherent one", () => {
    const archive = [
      ...set61("6.1.0-55", "6.1.190-1"),
      ...set61("6.1.0-58", "6.1.195-1").filter((l) => !l.startsWith("linux-source-6.1 ")),
      ...set61("6.1.0-57", "6.1.192-3"),
      ...OK_612,
    ];
    const r = resolve(archive);
    expect(r.status).toBe(0);
    expect(r.vars).toMatchObject({ K61_ABI: "6.1.0-57", K61_VER: "6.1.192-3" });
    expect(r.vars.K61_WHY).toContain("not in the archive");
  });

  test("an ABI with two image versions takes the newer one that has all its parts", () => {
    const archive = [
      ...set61("6.1.0-57", "6.1.192-2"),
      "linux-image-6.1.0-57-amd64 6.1.192-3",
      "linux-headers-6.1.0-57-amd64 6.1.192-3",
      ...OK_612,
    ];
    const r = resolve(archive, { pin61: "6.1.0-57" });
    expect(r.vars).toMatchObject({ K61_ABI: "6.1.0-57", K61_VER: "6.1.192-2", K61_WHY: "pinned" });
  });

  test("a pinned set complete in the .deb cache wins although the archive dropped it", () => {
    const r = resolve([...set61("6.1.0-57", "6.1.192-3"), ...OK_612], {
      cached: set61("6.1.0-56", "6.1.192-2"),
    });
    expect(r.vars).toMatchObject({ K61_ABI: "6.1.0-56", K61_VER: "6.1.192-2", K61_WHY: "pinned" });
  });

  test("6.12: pinned release gone from backports, newest coherent release taken", () => {
    const archive = [
      ...set61("6.1.0-56", "6.1.192-2"),
      ...set612("6.12.110+deb12", "6.12.110-1~bpo12+1"),
      ...set612("6.12.118+deb12", "6.12.118-1~bpo12+1").filter((l) => !l.startsWith("linux-kbuild-")),
    ];
    const r = resolve(archive);
    expect(r.status).toBe(0);
    expect(r.vars).toMatchObject({ K612_REL: "6.12.110+deb12", K612_VER: "6.12.110-1~bpo12+1" });
    expect(r.vars.K612_WHY).toContain("newest coherent set");
  });

  test("no coherent set at all: exit 1 with the reason", () => {
    const r = resolve([...set61("6.1.0-57", "6.1.192-3").filter((l) => !l.includes("common")), ...OK_612]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "no coherent 6.1 kernel set (pinned 6.1.0-56: linux-image-6.1.0-56-amd64 not in the archive)",
    );
  });

  // The real archive, read through the system's apt lists: a pin that no longer exists resolves to
  // a coherent set of today's archive.
  test.runIf(spawnSync("apt-cache", ["policy"]).status === 0)(
    "today's Debian archive: a vanished pin resolves to a coherent set",
    () => {
      const debs = join(work, "real-debs");
      mkdirSync(debs, { recursive: true });
      const r = spawnSync("bash", [join(VM_DIR, "resolve-kernels.sh"), "6.1.0-1", "6.12.1+deb12", debs], {
        encoding: "utf8",
      });
      const vars = Object.fromEntries(
        [...r.stdout.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/\\(.)/g, "$1")]),
      );
      // (6.12 comes from bookworm-backports, which the system's lists may not carry: 6.1 is asserted)
      if (!vars.K61_ABI) throw new Error(`resolve failed: ${r.stderr}`);
      expect(vars.K61_ABI).toMatch(/^6\.1\.0-\d+$/);
      expect(vars.K61_WHY).toContain("newest coherent set");
      for (const pkg of [`linux-kbuild-6.1`, `linux-source-6.1`, `linux-headers-${vars.K61_ABI}-common`]) {
        const m = spawnSync("apt-cache", ["madison", pkg], { encoding: "utf8" }).stdout;
        expect(m).toContain(` ${vars.K61_VER} `);
      }
    },
    60_000,
  );
});
