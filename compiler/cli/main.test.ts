// The CLI: exit codes, outputs written, explain, usage errors.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EXIT, exitCodeFor, run, type Io } from "./main.js";
import { catalogue, diag } from "../../lang/diagnostics/catalogue.js";
import { requireKernel } from "../kernel/testing.js";

const dir = mkdtempSync(join(tmpdir(), "nfc-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(stdin = ""): Io & { stdout: string; stderr: string } {
  const o = {
    stdout: "",
    stderr: "",
    out: (s: string) => void (o.stdout += s),
    err: (s: string) => void (o.stderr += s),
    readStdin: () => stdin,
  };
  return o;
}

const SRC = `nf tiny on xdp
counter seen
on packet {
  let ip = ipv4 else { pass }
  seen += 1
  if ip.ttl < 2 { drop }
  pass
}
`;

describe("nfc", () => {
  test("build --no-object writes C and manifest and prints one line per output", async () => {
    const f = join(dir, "tiny.nf");
    writeFileSync(f, SRC);
    const o = io();
    const code = await run(["build", f, "-o", join(dir, "out"), "--no-object"], o);
    expect(o.stderr).toBe("");
    expect(code).toBe(EXIT.ok);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["tiny.bpf.c", "tiny.manifest.json"]);
    expect(o.stdout.trim().split("\n")).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, "out", "tiny.manifest.json"), "utf8")).nf).toBe("tiny");
  });

  test("check reads stdin with `-` and reports errors with exit 1", async () => {
    const o = io("nf broken on xdp\non packet { pass + }\n");
    const code = await run(["check", "-", "--diagnostics", "short"], o);
    expect(code).toBe(EXIT.user);
    expect(o.stderr).toMatch(/error NF1\d{3}/);
  });

  test("a missing input file is NF5013 and a usage error, not a stack trace", async () => {
    const o = io();
    expect(await run(["check", join(dir, "nope.nf")], o)).toBe(EXIT.usage);
    expect(o.stderr).toContain(`error[NF5013]: cannot read \`${join(dir, "nope.nf")}\`: no such file`);
    expect(o.stderr).toContain("help: check the path");
    const j = io();
    expect(await run(["build", dir, "--diagnostics", "json"], j)).toBe(EXIT.usage);
    expect(JSON.parse(j.stderr.trim())).toMatchObject({
      code: "NF5013",
      message: `cannot read \`${dir}\`: it is a directory`,
    });
  });

  test("a file that is not UTF-8 is NF1027 at the bad byte (exit 1); CRLF and a BOM check clean", async () => {
    const bad = join(dir, "latin1.nf");
    writeFileSync(
      bad,
      Buffer.concat([
        Buffer.from("nf t on xdp\n// caf"),
        Buffer.from([0xe9]),
        Buffer.from("\non packet { pass }\n"),
      ]),
    );
    const o = io();
    expect(await run(["check", bad, "--diagnostics", "short"], o)).toBe(EXIT.user);
    expect(o.stderr).toBe(`${bad}:2:7: error NF1027: byte 0xe9 at offset 18 is not valid UTF-8\n`);
    const crlf = join(dir, "crlf.nf");
    writeFileSync(crlf, "\uFEFF" + SRC.replace(/\n/g, "\r\n"));
    const c = io();
    expect(await run(["check", crlf], c)).toBe(EXIT.ok);
    expect(c.stderr).toBe("");
  });

  test("explain prints title and explanation; unknown codes exit 2", async () => {
    const o = io();
    expect(await run(["explain", "NF9999"], o)).toBe(EXIT.ok);
    expect(o.stdout).toMatch(/^NF9999: internal compiler error\n\n/);
    const u = io();
    expect(await run(["explain", "NF0000"], u)).toBe(EXIT.usage);
    expect(u.stderr).toContain("unknown diagnostic code `NF0000`");
  });

  test("unknown options and commands are usage errors", async () => {
    expect(await run(["build"], io())).toBe(EXIT.usage);
    expect(await run(["frobnicate"], io())).toBe(EXIT.usage);
  });

  test("--version prints the package's version; every subcommand has a description and examples", async () => {
    const v = io();
    expect(await run(["--version"], v)).toBe(EXIT.ok);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(v.stdout).toBe(`${pkg.version}\n`);
    const top = io();
    expect(await run(["--help"], top)).toBe(EXIT.ok);
    const commands = [
      "build",
      "check",
      "explain",
      "fmt",
      "test",
      "bench",
      "load",
      "unload",
      "status",
      "table",
      "counters",
    ];
    for (const c of commands) expect(top.stdout).toMatch(new RegExp(`^  ${c}\\b.*\\s{2}\\S`, "m"));
    for (const c of commands) {
      const h = io();
      expect(await run([c, "--help"], h)).toBe(EXIT.ok);
      expect(h.stdout, c).toMatch(/\nExamples:\n  \$ nfc /);
    }
  });

  test("explain --list prints every code with its title, sorted", async () => {
    const o = io();
    expect(await run(["explain", "--list"], o)).toBe(EXIT.ok);
    const lines = o.stdout.trim().split("\n");
    expect(lines.length).toBe(Object.keys(catalogue).length);
    expect(lines).toContain(`NF3001  ${catalogue.NF3001.title}`);
    expect([...lines].sort()).toEqual(lines);
    expect(await run(["explain"], io())).toBe(EXIT.usage);
  });

  test("check prints one summary line on success, nothing with -q, and no summary on errors", async () => {
    const f = join(dir, "ok.nf");
    writeFileSync(f, SRC);
    const o = io();
    expect(await run(["check", f], o)).toBe(EXIT.ok);
    expect(o.stdout).toBe(`${f}: ok (0 errors, 0 warnings)\n`);
    expect(o.stderr).toBe("");
    const q = io();
    expect(await run(["check", "-q", f], q)).toBe(EXIT.ok);
    expect(q.stdout + q.stderr).toBe("");
    const bad = io("nf broken on xdp\non packet { pass + }\n");
    expect(await run(["check", "-"], bad)).toBe(EXIT.user);
    expect(bad.stdout).toBe("");
  });

  test("CLI JSON diagnostics have the API's shape (one span shape)", async () => {
    const src = "nf t on xdp\non packet { passs }\n";
    const j = io(src);
    expect(await run(["check", "-", "--diagnostics", "json"], j)).toBe(EXIT.user);
    const line = JSON.parse(j.stderr.trim().split("\n")[0]!);
    const { parse } = await import("../../lang/syntax/index.js");
    const d = parse(src, "<stdin>.nf").diagnostics[0]!;
    expect(line).toEqual({ ...JSON.parse(JSON.stringify(d)), label: d.label ?? null, help: d.help ?? null });
    expect(line.span).toEqual({ file: "<stdin>.nf", start: 24, end: 29, line: 2, col: 13 });
  });

  test("exit codes by diagnostic family", () => {
    expect(exitCodeFor([])).toBe(EXIT.ok);
    expect(exitCodeFor([diag("NF5001", undefined, { tried: "clang" })])).toBe(EXIT.toolchain);
    expect(exitCodeFor([diag("NF9999", undefined, { what: "x" })])).toBe(EXIT.internal);
  });
});

describe.runIf(requireKernel())("nfc build --stats (kernel)", () => {
  test("loads the object and prints xlated, verified and JIT sizes", async () => {
    const f = join(dir, "tiny.nf");
    writeFileSync(f, SRC);
    const o = io();
    const code = await run(["build", f, "-o", join(dir, "stats"), "--runtime", "bpf", "--stats"], o);
    expect(o.stderr).toBe("");
    expect(code).toBe(EXIT.ok);
    const m =
      /^stats tiny\.bpf\.o tiny_prog: xlated (\d+) insns, verified (\d+) insns, jited (\d+) bytes$/m.exec(
        o.stdout,
      );
    expect(m).not.toBeNull();
    const [xlated, verified, jited] = m!.slice(1).map(Number) as [number, number, number];
    expect(xlated).toBeGreaterThan(10);
    expect(verified).toBeGreaterThanOrEqual(xlated - 5);
    expect(jited).toBeGreaterThan(xlated);
  });
});

describe("nfc fmt", () => {
  const messy = "nf   t on xdp\non packet {   pass   }\n";
  const tidy = "nf t on xdp\non packet { pass }\n";

  test("--check lists files that would change (exit 1) and changes nothing; 0 when formatted", async () => {
    const a = join(dir, "messy.nf");
    const b = join(dir, "tidy.nf");
    writeFileSync(a, messy);
    writeFileSync(b, tidy);
    const o = io();
    expect(await run(["fmt", "--check", a, b], o)).toBe(1);
    expect(o.stdout).toBe(`${a}\n`);
    expect(readFileSync(a, "utf8")).toBe(messy);
    expect(await run(["fmt", "--check", b], io())).toBe(EXIT.ok);
  });

  test("rewrites in place, then is a no-op; stdin to stdout; syntax errors exit 1; usage 2", async () => {
    const a = join(dir, "rewrite.nf");
    writeFileSync(a, messy);
    const o = io();
    expect(await run(["fmt", a], o)).toBe(EXIT.ok);
    expect(o.stdout).toBe(`formatted ${a}\n`);
    expect(readFileSync(a, "utf8")).toBe(tidy);
    const again = io();
    expect(await run(["fmt", a], again)).toBe(EXIT.ok);
    expect(again.stdout).toBe("");
    const s = io(messy);
    expect(await run(["fmt", "-"], s)).toBe(EXIT.ok);
    expect(s.stdout).toBe(tidy);
    const bad = io("nf t on xdp\non packet { pass + }\n");
    expect(await run(["fmt", "-"], bad)).toBe(EXIT.user);
    expect(bad.stderr).toMatch(/error\[NF1\d{3}\]/);
    expect(bad.stdout).toBe("");
    expect(await run(["fmt"], io())).toBe(EXIT.usage);
    expect(await run(["fmt", join(dir, "none.nf")], io())).toBe(EXIT.usage);
  });
});

describe("nfc fmt --check over the repository's programs", () => {
  test("every example and valid corpus program is formatted (exit 0, nothing listed)", async () => {
    const root = new URL("../../", import.meta.url).pathname;
    const files = ["examples", "test/corpus/valid"].flatMap((d) =>
      readdirSync(join(root, d))
        .filter((f) => f.endsWith(".nf"))
        .map((f) => join(root, d, f)),
    );
    expect(files.length).toBeGreaterThan(20);
    const o = io();
    expect(await run(["fmt", "--check", ...files], o)).toBe(EXIT.ok);
    expect(o.stdout).toBe("");
  });
});
