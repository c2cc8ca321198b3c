// The test clock: in test builds (compile option `testClock`, clang -DNF_TEST_CLOCK) `now_ns()`
// reads the one-entry ARRAY map `nf_test_clock` (stdlib/include/nf/common.h). Before packet i the
// driver stores testClockNs(i) there and feeds the interpreter the same value, so state and
// verdicts that depend on time compare exactly. runtime-kmod/vm/loader/nfc-loader.c uses the
// same formula in the guest.
import type { KernelRunner } from "../kernel/runner.js";

export const TEST_CLOCK_MAP = "nf_test_clock";
export const TEST_CLOCK_START = 1_000_000_000n;
export const TEST_CLOCK_STEP = 1000n;

export function testClockNs(i: number): bigint {
  return TEST_CLOCK_START + BigInt(i) * TEST_CLOCK_STEP;
}

const ZERO_KEY = new Uint8Array(4);

/** Sets the kernel's test clock (an object built with `testClock`). */
export async function setTestClock(k: KernelRunner, ns: bigint): Promise<void> {
  const v = new Uint8Array(8);
  new DataView(v.buffer).setBigUint64(0, ns, true);
  await k.update(TEST_CLOCK_MAP, ZERO_KEY, v);
}
