// Test-only helper (imports vitest; never import it from the CLI or the API).
// A kernel-tier suite calls requireKernel() at collection time:
//   describe.runIf(requireKernel())("runner", () => { ... })
// When the tier cannot run, NFC_REQUIRE_KERNEL=1 (CI) registers a FAILING test with the reason;
// otherwise one skipped test names the reason and a warning is printed. Never a silent skip.
import { test } from "vitest";
import { kernelTierStatus } from "./tier.js";

export function requireKernel(): boolean {
  const s = kernelTierStatus();
  if (s.ok) return true;
  if (process.env.NFC_REQUIRE_KERNEL === "1") {
    test("kernel tier is available (NFC_REQUIRE_KERNEL=1)", () => {
      throw new Error(`the kernel tier cannot run: ${s.reason}`);
    });
  } else {
    console.warn(
      `\n[nfc] SKIPPING kernel-tier tests: ${s.reason}\n[nfc] set NFC_REQUIRE_KERNEL=1 to make this a failure\n`,
    );
    test.skip(`kernel tier unavailable: ${s.reason}`, () => undefined);
  }
  return false;
}
