// DeployKernel refuses a runner without the deploy commands (NF6016) instead of failing later on
// an unknown command. The stand-in runner is a shell script answering `version` as protocol 1 did.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { DeployError } from "./errors.js";
import { DeployKernel } from "./kernel.js";

const dir = mkdtempSync(join(tmpdir(), "nfc-oldrunner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a runner that predates the deploy commands is NF6016 with the rebuild command", async () => {
  const old = join(dir, "nfc-runner");
  writeFileSync(
    old,
    `#!/bin/sh\nwhile read l; do case "$l" in quit) exit 0;; *) echo '{"ok":true,"protocol":1,"libbpf":"1.1","possible_cpus":2}';; esac; done\n`,
  );
  chmodSync(old, 0o755);
  const e = await DeployKernel.start(old).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DeployError);
  const d = (e as DeployError).diagnostic;
  expect([d.code, d.span, d.message, d.help]).toEqual([
    "NF6016",
    undefined,
    `\`${old}\` has no deploy commands`,
    "rebuild it: `make -C runner` (or `./setup.sh`)",
  ]);
});
