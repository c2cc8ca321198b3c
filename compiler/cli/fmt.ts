// `nfc fmt FILE... [--check]`: rewrites .nf files in their canonical layout (lang/format, a
// prettier plugin over the chevrotain parser; comments kept, the program unchanged).
//   nfc fmt a.nf b.nf      rewrite the files that change, print `formatted FILE` for each
//   nfc fmt --check *.nf   change nothing; print the files that would change
//   nfc fmt -              stdin to stdout
// Exit codes: 0 ok (or nothing to change), 1 would change (--check) or a file has syntax errors
// (its diagnostics are printed, the file is left alone), 2 usage or an unreadable file, 70 internal.
// The formatter (and prettier) is loaded only when `fmt` runs.
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { diag } from "../../lang/diagnostics/catalogue.js";
import { renderHuman } from "../../lang/diagnostics/render.js";
import { examples } from "./help.js";

interface FmtIo {
  out: (s: string) => void;
  err: (s: string) => void;
  readStdin: () => string;
}

function read(file: string, io: FmtIo): string | undefined {
  try {
    return file === "-" ? io.readStdin() : readFileSync(file, "utf8");
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    const why =
      errno === "ENOENT" ? "no such file" : errno === "EISDIR" ? "it is a directory" : (e as Error).message;
    io.err(renderHuman(diag("NF5013", undefined, { file, why }), ""));
    return undefined;
  }
}

export function registerFmt(program: Command, io: FmtIo, setCode: (c: number) => void): void {
  program
    .command("fmt")
    .description("format .nf files in place (comments kept; the program is unchanged)")
    .argument("<files...>", ".nf programs (`-` formats stdin to stdout)")
    .option("--check", "change nothing; list the files that are not formatted (exit 1 if any)")
    .action(async (files: string[], o: { check?: boolean }) => {
      const { formatSource } = await import("../../lang/format/index.js");
      let code = 0;
      const worst = (c: number) => (code = Math.max(code, c));
      for (const file of files) {
        const source = read(file, io);
        if (source === undefined) {
          worst(2);
          continue;
        }
        let r: Awaited<ReturnType<typeof formatSource>>;
        try {
          r = await formatSource(source, file === "-" ? "<stdin>.nf" : file);
        } catch (e) {
          io.err(
            renderHuman(
              diag("NF9999", undefined, { what: `formatting ${file}: ${(e as Error).message}` }),
              "",
            ),
          );
          worst(70);
          continue;
        }
        if ("diagnostics" in r) {
          for (const d of r.diagnostics) io.err(renderHuman(d, source));
          worst(1);
          continue;
        }
        if (r.formatted === source) {
          if (file === "-" && !o.check) io.out(r.formatted);
          continue;
        }
        if (o.check) {
          io.out(`${file}\n`);
          worst(1);
        } else if (file === "-") io.out(r.formatted);
        else {
          writeFileSync(file, r.formatted);
          io.out(`formatted ${file}\n`);
        }
      }
      setCode(code);
    })
    .addHelpText(
      "after",
      examples(
        "nfc fmt examples/*.nf                      # rewrite in place; prints `formatted FILE` per change",
        "nfc fmt --check examples/*.nf              # CI: lists unformatted files, exit 1 if any",
        "nfc fmt - < fw.nf > fw.formatted.nf",
      ),
    );
}
